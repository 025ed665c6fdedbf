# Only lazyAttrsOf lets one attribute depend on another of the same option;
# only attrsOf removes attributes whose definitions are all mkIf false.
{ lib, config, ... }:
let
  inherit (lib) types mkOption mkIf;
in
{
  options = {
    strict = mkOption { type = types.attrsOf types.str; };
    lazy = mkOption { type = types.lazyAttrsOf types.str; };
    strictCond = mkOption { type = types.attrsOf types.str; };
    lazyCond = mkOption { type = types.lazyAttrsOf types.str; };
    strictIsLazy = mkOption { default = config.strict.a == "a"; };
    lazyIsLazy = mkOption { default = config.lazy.a == "a"; };
    strictConditional = mkOption { default = !(config.strictCond ? gone); };
    lazyConditional = mkOption { default = !(config.lazyCond ? gone); };
  };
  config = {
    strict.a = "a";
    strict.b = config.strict.a;
    lazy.a = "a";
    lazy.b = config.lazy.a;
    strictCond.gone = mkIf false "x";
    lazyCond.gone = mkIf false "x";
  };
}
