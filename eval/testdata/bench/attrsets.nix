# Large attribute sets: listToAttrs, //, lookups, attrNames, mapAttrs.
let
  n = 100000;
  names = builtins.genList (i: "attr${toString i}") n;
  big = builtins.listToAttrs (map (name: { inherit name; value = builtins.stringLength name; }) names);
  updates = builtins.foldl' (acc: i: acc // { "k${toString (builtins.bitAnd i 1023)}" = i; }) { } (builtins.genList (i: i) 20000);
  merged = big // updates // { extra = 1; };
  lookups = builtins.foldl' (acc: name: acc + merged.${name}) 0 names;
  mapped = builtins.mapAttrs (name: v: v * 2) big;
  filtered = builtins.filter (name: builtins.hasAttr name updates) (builtins.attrNames merged);
in
lookups + builtins.length filtered + mapped.attr99999 + builtins.length (builtins.attrNames mapped)
