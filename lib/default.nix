# The Frazil Nix library: nixpkgs-lib names and semantics, written for Frazil.
#
#   lib = import ./lib;
#
# Each family lives in its own file and is reachable as `lib.<family>`
# (`lib.strings.hasPrefix`); the commonly used functions are also flattened
# into `lib` itself (`lib.hasPrefix`), as in nixpkgs. `lib.types` and
# `lib.generators` stay namespaced. `lib.extend (final: prev: { … })` returns
# an extended library.
let
  fixedPoints = import ./fixed-points.nix { lib = null; };

  libFun = self:
    let
      callLibs = file: import file { lib = self; };

      families = {
        trivial = callLibs ./trivial.nix;
        lists = callLibs ./lists.nix;
        strings = callLibs ./strings.nix;
        attrsets = callLibs ./attrsets.nix;
        fixedPoints = callLibs ./fixed-points.nix;
        debug = callLibs ./debug.nix;
        asserts = callLibs ./asserts.nix;
        generators = callLibs ./generators.nix;
        versions = callLibs ./versions.nix;
        meta = callLibs ./meta.nix;
        customisation = callLibs ./customisation.nix;
        options = callLibs ./options.nix;
        types = callLibs ./types.nix;
        modules = callLibs ./modules.nix;
      };

      # Names both lists and strings define: at the top level hasPrefix and
      # removePrefix are the string functions, replicate the list one.
      listsFlat = removeAttrs families.lists [ "hasPrefix" "removePrefix" "commonPrefix" ];
      stringsFlat = removeAttrs families.strings [ "replicate" ];
    in
    families.trivial
    // listsFlat
    // stringsFlat
    // families.attrsets
    // families.fixedPoints
    // families.debug
    // families.asserts
    // families.meta
    // families.customisation
    // families.options
    // families.modules
    // families
    // {
      # The library's own builtins view, as nixpkgs exposes it.
      inherit (builtins) getAttr hasAttr isAttrs isBool isFloat isInt isList isPath isString typeOf;
      inherit (families.types) isType setType defaultTypeMerge defaultFunctor isOptionType mkOptionType;
    };
in
fixedPoints.makeExtensible libFun
