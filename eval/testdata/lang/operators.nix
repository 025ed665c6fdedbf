# Arithmetic, comparison, logic and the other operators.
[ (1 + 2) (5 - 7) (3 * 4) (7 / 2) (-7 / 2) (7 / -2) (1 + 2.5) (1.0 * 3) (7 / 2.0) (-(3)) (- 2.5) ]
#=> [ 3 -2 12 3 -3 -3 3.5 3 3.5 -3 -2.5 ]
---
# newer Nix: 2.8 wraps around silently
9223372036854775807 + 1  ### integer overflow in adding
---
# newer Nix: 2.8 wraps around silently
-9223372036854775807 - 2  ### integer overflow in subtracting
---
# newer Nix: 2.8 wraps around silently
4611686018427387904 * 2  ### integer overflow in multiplying
---
1 / 0  ### division by zero
---
1.0 / 0  ### division by zero
---
[ (1 < 2) (2 <= 2) (3 > 4) (4 >= 5) (1 < 1.5) ("a" < "b") ("ab" < "a") ([1 2] < [1 3]) ([1] < [1 0]) (./a < ./b) ]
#=> [ true true false false true true false true true true ]
---
1 < "a"  ### cannot compare an integer with a string
---
{} < {}  ### incomparable
---
[ (1 == 1.0) (1 == 2) ("a" == "a") (null == null) ([1 [2]] == [1 [2]]) ({a = 1;} == {a = 1;}) ({a = 1;} == {a = 1; b = 2;}) (true != false) ((x: x) == (x: x)) ]
#=> [ true false true true true true false true false ]
---
let f = x: x; in [ ([f] == [f]) ({ a = f; } == { a = f; }) (f == f) ]
#=> [ true true false ]
---
[ (true && false) (true || false) (false -> true) (true -> false) (!true) (false && throw "lazy") (true || throw "lazy") ]
#=> [ false true true false false false true ]
---
1 && true  ### expected a Boolean but found an integer
---
[ ({ a = 1; b = 2; } // { b = 3; c = 4; }) ([1] ++ [2 3]) ({ a.b = 1; } ? a.b) ({ a = 1; } ? b) (1 ? a) ]
#=> [ { a = 1; b = 3; c = 4; } [ 1 2 3 ] true false false ]
---
[ ("a" + "b") (./x + "y" == ./xy) (1 + 2) ]
#=> [ "ab" true 3 ]
---
{ } // 1  ### expected a set but found an integer
---
[ ] ++ { }  ### expected a list but found a set
---
"a" + 1  ### cannot coerce an integer to a string
---
1 + "a"  ### cannot add a string to an integer
