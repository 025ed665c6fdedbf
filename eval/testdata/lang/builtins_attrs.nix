# Builtins on attribute sets.
with builtins; [ (attrNames { b = 1; a = 2; "1" = 3; }) (attrValues { b = 1; a = 2; }) (getAttr "a" { a = 1; }) (hasAttr "a" { a = 1; }) (hasAttr "b" { a = 1; }) ]
#=> [ [ "1" "a" "b" ] [ 2 1 ] 1 true false ]
---
with builtins; [ (removeAttrs { a = 1; b = 2; c = 3; } [ "a" "c" "x" ]) (listToAttrs [ { name = "a"; value = 1; } { name = "a"; value = 2; } { name = "b"; value = 3; } ]) (intersectAttrs { a = 1; c = 2; } { a = 3; b = 4; c = 5; }) ]
#=> [ { b = 2; } { a = 1; b = 3; } { a = 3; c = 5; } ]
---
with builtins; [ (catAttrs "a" [ { a = 1; } { b = 2; } { a = 3; } ]) (mapAttrs (n: v: n + toString v) { x = 1; y = 2; }) (zipAttrsWith (n: vs: vs) [ { a = 1; } { a = 2; b = 3; } ]) ]
#=> [ [ 1 3 ] { x = "x1"; y = "y2"; } { a = [ 1 2 ]; b = [ 3 ]; } ]
---
with builtins; [ (functionArgs ({ a, b ? 1 }: a)) (functionArgs (x: x)) (functionArgs map) ]
#=> [ { a = false; b = true; } { } { } ]
---
let pos = builtins.unsafeGetAttrPos "b" { a = 1;
  b = 2; }; in [ pos.line pos.column (builtins.unsafeGetAttrPos "c" { }) ]
#=> [ 15 3 null ]
---
builtins.getAttr "c" { a = 1; }  ### attribute 'c' missing
---
builtins.attrNames [ ]  ### expected a set but found a list
---
builtins.listToAttrs [ { value = 1; } ]  ### attribute 'name' missing
---
with builtins; groupBy (x: if x > 2 then "big" else "small") [ 1 2 3 4 ]
#=> { big = [ 3 4 ]; small = [ 1 2 ]; }
