# A lazy fixpoint shaped like a module-system evaluation: many modules
# contribute definitions to options; the merged config refers to itself.
let
  fix = f: let x = f x; in x;
  nModules = 4000;
  nOptions = 512;
  optionNames = builtins.genList (i: "opt${toString i}") nOptions;

  # Each module is a function of the final config, like NixOS modules.
  mkModule = m: config: {
    options = builtins.listToAttrs (map (name: {
      inherit name;
      value = { default = 0; type = "int"; };
    }) (if m == 0 then optionNames else [ ]));
    config = builtins.listToAttrs (builtins.genList (j: let
      name = "opt${toString (builtins.bitAnd (m * 7 + j * 13) (nOptions - 1 - 8))}";
    in {
      inherit name;
      value = { _type = "definition"; priority = 100 + builtins.bitAnd j 1; value = m + j + (if name != "opt0" then config.opt0 else 0); };
    }) 20);
  };

  modules = builtins.genList mkModule nModules;

  evalModules = fix (self: let
    evaluated = map (m: m self.config) modules;
    declared = builtins.foldl' (acc: m: acc // m.options) { } evaluated;
    defsFor = name: builtins.concatMap (m: if m.config ? ${name} then [ m.config.${name} ] else [ ]) evaluated;
    merge = name: opt: let
      defs = defsFor name;
      best = builtins.foldl' (acc: d: if d.priority < acc then d.priority else acc) 1000 defs;
      chosen = builtins.filter (d: d.priority == best) defs;
    in if defs == [ ] then opt.default else builtins.foldl' (acc: d: acc + d.value) 0 chosen;
  in {
    options = declared;
    config = builtins.mapAttrs merge declared;
  });
in
builtins.foldl' (acc: name: acc + evalModules.config.${name}) 0 optionNames
