# Corner cases compared with Nix 2.8.
[ 1.0e-5 123456.7 1234567.0 (0.0 - 0.0) (1.0 / 3) 2.0e15 1.0e16 100.0 (0.1 * 3) 1.7976931348623157e308 ]
#=> [ 1e-05 123457 1.23457e+06 0 0.333333 2e+15 1e+16 100 0.3 1.79769e+308 ]
---
map builtins.toString [ 1.0e-5 123456.7 (1.0 / 3) 2.0e15 ]
#=> [ "0.000010" "123456.700000" "0.333333" "2000000000000000.000000" ]
---
map builtins.toJSON [ 1.0e-5 123456.7 (1.0 / 3) ]
#=> [ "1e-05" "123457" "0.333333" ]
---
[ (-7 / 2) (7 / -2) (-7 / -2) (-7.0 / 2) (7 / 2.0) (builtins.div (-7) 2) (3 * -1.5) (1 - 0.5) ]
#=> [ -3 -3 3 -3.5 3.5 -3 -4.5 0.5 ]
---
[ (builtins.stringLength "héllo") (builtins.substring 1 2 "héllo") (builtins.attrNames { "é" = 1; z = 2; a = 3; "Z" = 4; "_" = 5; }) ]
#=> [ 6 "é" [ "Z" "_" "a" "z" "é" ] ]
---
let inherit (x) a; x = { a = 1; }; in a
#=> 1
---
let a = { b.c = 1; d = 2; }; in [ (a.b or a.d) (a.x.y or a.d) (a ? b.c) (a ? b.x) ]
#=> [ { c = 1; } 2 true false ]
---
''
	tab indented
  two spaces
''
#=> "\ttab indented\n  two spaces\n"
---
''a''${"b"}''\${c}d''
#=> "a\${\"b\"}\${c}d"
---
[ (./a + "/b") (./a + ./b) (baseNameOf ./.) (builtins.typeOf (./a + "b")) ]
#=> [ $DIR/a/b $DIR/a$DIR/b "lang" "path" ]
---
let x = { a = throw "not forced"; }; y = x // { b = 1; }; in y.b
#=> 1
---
builtins.tryEval { a = throw "shallow"; }  ### shallow
---
[ ({ f = x: x; } == { f = x: x; }) (let s = { f = x: x; }; in s == s) ([ (x: x) ] == [ (x: x) ]) ]
#=> [ false true false ]
---
builtins.functionArgs ({ a ? null, b, ... }: a)
#=> { a = true; b = false; }
---
let f = { x ? y, y ? 1 }: x; in f { }
#=> 1
---
rec { x = 1; y = { x = 2; z = x; }; }.y.z
#=> 1
---
with { a = 1; }; let b = a; in with { a = 2; }; [ a b ]
#=> [ 2 1 ]
---
builtins.toJSON "é \u0001 \u007f"
#=> "\"é u0001 u007f\""
---
[ (builtins.compareVersions "1.0" "1.0.0") (builtins.compareVersions "1.0a" "1.0") (builtins.compareVersions "" "1") (builtins.splitVersion "") ]
#=> [ -1 1 -1 [ ] ]
---
[ (builtins.elem { a = 1; } [ { a = 1; } ]) (builtins.elem 1 [ 1.0 ]) (builtins.head (builtins.sort (a: b: a > b) [ 3 9 1 ])) ]
#=> [ true true 9 ]
---
let s = "${builtins.toFile "x" "y"}"; in [ (builtins.hasContext s) (builtins.hasContext (builtins.unsafeDiscardStringContext s)) (builtins.substring 0 10 s) (builtins.hasContext (builtins.substring 0 10 s)) ]
#=> [ true false "/nix/store" true ]
---
builtins.concatStringsSep "," (builtins.attrNames (builtins.removeAttrs { a = 1; b = 2; c = 3; } [ "b" ]))
#=> "a,c"
---
[ (builtins.isFunction { __functor = self: x: x; }) (builtins.typeOf { __functor = self: x: x; }) ]
#=> [ false "set" ]
---
builtins.mapAttrs (n: v: v + 1) { a = 1; b = throw "lazy"; }  ### lazy
---
5.0e-324  ### invalid float
