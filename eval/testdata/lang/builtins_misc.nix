# Types, control, JSON, XML, hashing of files, and contexts.
with builtins; map typeOf [ 1 1.5 "s" ./. null true [ ] { } (x: x) map (add 1) ]
#=> [ "int" "float" "string" "path" "null" "bool" "list" "set" "lambda" "lambda" "lambda" ]
---
with builtins; [ (add 1 2) (sub 1 2.5) (mul 2 3) (div 7 2) (div 7.0 2) (lessThan 1 2) (bitAnd 12 10) (bitOr 12 10) (bitXor 12 10) (floor 2.5) (ceil 2.5) (floor (-2.5)) ]
#=> [ 3 -1.5 6 3 3.5 true 8 14 6 2 3 -3 ]
---
with builtins; [ (tryEval (throw "x")) (tryEval (assert false; 1)) (tryEval 1) (seq 1 2) (deepSeq [ 1 ] 2) ]
#=> [ { success = false; value = false; } { success = false; value = false; } { success = true; value = 1; } 2 2 ]
---
builtins.tryEval (abort "uncatchable")  ### evaluation aborted
---
builtins.seq (throw "forced") 1  ### forced
---
builtins.deepSeq [ [ (throw "deep") ] ] 1  ### deep
---
builtins.toJSON { a = [ 1 2.5 true null "x\n\"" ]; b.c = { }; d = { outPath = "/o"; }; }
#=> "{\"a\":[1,2.5,true,null,\"x\\n\\\"\"],\"b\":{\"c\":{}},\"d\":\"/o\"}"
---
builtins.fromJSON ''{"a": [1, 2.5, true, null, "x\u00e9"], "b": {}, "c": -3, "d": 1e2}''
#=> { a = [ 1 2.5 true null "xé" ]; b = { }; c = -3; d = 100; }
---
builtins.fromJSON "[1,"  ### while parsing JSON
---
builtins.toXML { a = 1; b = [ "x" null ]; }
#=> "<?xml version='1.0' encoding='utf-8'?>\n<expr>\n  <attrs>\n    <attr name=\"a\">\n      <int value=\"1\" />\n    </attr>\n    <attr name=\"b\">\n      <list>\n        <string value=\"x\" />\n        <null />\n      </list>\n    </attr>\n  </attrs>\n</expr>\n"
---
builtins.addErrorContext "context" 1
#=> 1
---
let s = builtins.toFile "hello.txt" "Hello, world!\n"; in [ s (builtins.hasContext s) (builtins.getContext s) ]
#=> [ "/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr6-hello.txt" true { "/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr6-hello.txt" = { path = true; }; } ]
---
builtins.unsafeDiscardStringContext (builtins.toFile "a" "b")
#=> "/nix/store/g76zcpqc540lrc8i6g7xy6ip0npn2hnp-a"
---
builtins.placeholder "out"
#=> "/1rz4g4znpzjwh1xymhjpm42vipw92pr73vdgl6xs1hycac8kf2n9"
---
builtins.readFile ./data/test-data.txt
#=> "test data\n"
---
builtins.readDir ./data
#=> { "import.nix" = "regular"; "test-data.txt" = "regular"; }
---
builtins.hashFile "sha256" ./data/test-data.txt
#=> "0c15e883dee85bb2f3540a47ec58f617a2547117f9096417ba5422268029f501"
---
[ (builtins.pathExists ./data/test-data.txt) (builtins.pathExists ./nope) ]
#=> [ true false ]
---
"${./data/test-data.txt}"
#=> "/nix/store/csx3fi3f2j357vk1669fhnx3fwp7gspg-test-data.txt"
---
builtins.path { path = ./data/test-data.txt; name = "data"; }
#=> "/nix/store/jpkq0hxiyhkrlafyhsrr2n6gfwpdr8lb-data"
---
builtins.filterSource (p: t: true) ./data/test-data.txt
#=> "/nix/store/csx3fi3f2j357vk1669fhnx3fwp7gspg-test-data.txt"
---
import <testdir/data/import.nix> { x = 2; }
#=> { y = 42; }
---
builtins.throw "thrown"  ### thrown
---
builtins.fromTOML ''
  a = 1
  b.c = "x"
  [t]
  list = [ 1.5, "s", { k = true } ]
  [[arr]]
  n = 1
  [[arr]]
  n = 2
''
#=> { a = 1; arr = [ { n = 1; } { n = 2; } ]; b = { c = "x"; }; t = { list = [ 1.5 "s" { k = true; } ]; }; }
---
builtins.fromTOML "a = 1\na = 2"  ### already defined
---
builtins.fromTOML "d = 1979-05-27"  ### Dates and times are not supported
---
# newer Nix: 2.8 saturates out-of-range integers
builtins.fromTOML "x = 99999999999999999999"  ### too large integer
