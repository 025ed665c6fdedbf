# let, rec, with, inherit, dynamic attributes and laziness.
let a = 1; b = a + 1; in [ a b ]
#=> [ 1 2 ]
---
let x = 1; in with { x = 2; y = 3; }; [ x y ]
#=> [ 1 3 ]
---
with { a = 1; }; with { a = 2; }; a
#=> 2
---
with { inherit (builtins) map; }; map (x: x + 1) [ 1 ]
#=> [ 2 ]
---
with { true = false; }; true
#=> true
---
rec { a = b + 1; b = 1; c = { inherit a b; }; }
#=> { a = 2; b = 1; c = { a = 2; b = 1; }; }
---
let x = 1; y = { x = 2; }; in { inherit x; inherit (y) x2; }  ### attribute 'x2' missing
---
let y = { a = 1; b = 2; }; in { inherit (y) a b; }
#=> { a = 1; b = 2; }
---
{ a.b.c = 1; a.b.d = 2; a.e = 3; }
#=> { a = { b = { c = 1; d = 2; }; e = 3; }; }
---
let n = "x"; in { ${n} = 1; "${n}y" = 2; ${null} = 3; }
#=> { x = 1; xy = 2; }
---
let n = "a"; in { a = 1; ${n} = 2; }  ### dynamic attribute 'a' already defined
---
let xs = [ 1 (throw "not forced") 3 ]; in builtins.length xs
#=> 3
---
let x = x; in x  ### infinite recursion encountered
---
let f = { a, b ? a + 1, ... }@args: [ a b (args ? c) ]; in f { a = 1; c = 2; }
#=> [ 1 2 true ]
---
({ a }: a) { a = 1; b = 2; }  ### called with unexpected argument 'b'
---
({ a, b }: a) { a = 1; }  ### called without required argument 'b'
---
(x: y: x) 1 2
#=> 1
---
undefinedVariable  ### undefined variable 'undefinedVariable'
---
with {}; undefinedWithVariable  ### undefined variable 'undefinedWithVariable'
---
let { x = 1; body = x + 1; }
#=> 2
---
rec { a = 1; __overrides = { a = 2; b = 3; }; c = a; }
#=> { __overrides = { a = 2; b = 3; }; a = 2; b = 3; c = 2; }
---
{ a = 1; }.b  ### attribute 'b' missing
---
[ ({ a = 1; }.b or 2) ((1).a or 3) ({ a.b = 1; }.a.c or 4) ]
#=> [ 2 3 4 ]
---
let s = { f = x: x * 2; }; in s.f 21
#=> 42
---
if 1 then 2 else 3  ### expected a Boolean but found an integer
---
assert 1 == 2; 3  ### assertion '\(1 == 2\)' failed
---
let f = self: { a = 1; b = self.a + 1; }; fix = f: let x = f x; in x; in fix f
#=> { a = 1; b = 2; }
---
{ __functor = self: x: self.n + x; n = 10; } 5
#=> 15
---
1 2  ### attempt to call something which is not a function but an integer
---
__curPos.line
#=> 78
