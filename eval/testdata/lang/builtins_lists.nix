# Builtins on lists.
with builtins; [ (map (x: x * 2) [ 1 2 3 ]) (filter (x: x > 1) [ 1 2 3 ]) (length [ 1 2 ]) (elemAt [ 1 2 3 ] 1) (head [ 4 5 ]) (tail [ 4 5 6 ]) (genList (i: i * i) 5) ]
#=> [ [ 2 4 6 ] [ 2 3 ] 2 2 4 [ 5 6 ] [ 0 1 4 9 16 ] ]
---
with builtins; [ (foldl' (a: b: a - b) 10 [ 1 2 3 ]) (concatLists [ [ 1 ] [ ] [ 2 3 ] ]) (concatMap (x: [ x x ]) [ 1 2 ]) (any (x: x > 2) [ 1 3 ]) (all (x: x > 2) [ 1 3 ]) (elem 2 [ 1 2 ]) (elem 5 [ 1 2 ]) ]
#=> [ 4 [ 1 2 3 ] [ 1 1 2 2 ] true false true false ]
---
with builtins; [ (sort lessThan [ 3 1 2 ]) (sort (a: b: a.k < b.k) [ { k = 2; v = "a"; } { k = 1; v = "b"; } { k = 2; v = "c"; } { k = 1; v = "d"; } ]) (partition (x: x > 2) [ 1 3 2 4 ]) ]
#=> [ [ 1 2 3 ] [ { k = 1; v = "b"; } { k = 1; v = "d"; } { k = 2; v = "a"; } { k = 2; v = "c"; } ] { right = [ 3 4 ]; wrong = [ 1 2 ]; } ]
---
builtins.genericClosure { startSet = [ { key = 1; } ]; operator = x: if x.key < 5 then [ { key = x.key + 1; } { key = x.key; } ] else [ ]; }
#=> [ { key = 1; } { key = 2; } { key = 3; } { key = 4; } { key = 5; } ]
---
builtins.elemAt [ 1 ] 5  ### called with index 5 on a list of size 1
---
builtins.head [ ]  ### 'builtins.head' called on an empty list
---
builtins.genList (x: x) (-1)  ### cannot create list of size -1
---
builtins.length (builtins.genList (x: throw "lazy") 3)
#=> 3
---
builtins.foldl' (a: b: a + b) 0 (builtins.genList (x: x) 100000)
#=> 4999950000
---
let xs = [ (1 + 1) ]; in [ (map (builtins.elemAt xs) [ 0 ]) (builtins.seq 1 (builtins.head xs)) (builtins.mapAttrs (n: builtins.getAttr n) { a = { a = 1; }; }) ]
#=> [ [ 2 ] 2 { a = 1; } ]
