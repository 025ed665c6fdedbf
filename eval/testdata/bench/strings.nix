# String building: interpolation, concatenation, concatStringsSep,
# replaceStrings, substring.
let
  n = 10000;
  parts = builtins.genList (i: "line ${toString i}: ${builtins.substring 0 5 "abcdefghij"}\n") n;
  joined = builtins.concatStringsSep "" parts;
  folded = builtins.foldl' (acc: p: acc + builtins.substring 0 3 p) "" parts;
  replaced = builtins.replaceStrings [ "line" "abc" ] [ "LINE" "xyz" ] joined;
  lengths = map builtins.stringLength (builtins.genList (i: "${toString i}-${toString (i * i)}") n);
in
builtins.stringLength joined + builtins.stringLength folded + builtins.stringLength replaced
  + builtins.foldl' (a: b: a + b) 0 lengths
