# extendModules evaluates the same modules plus more.
{ lib, ... }:
let
  base = lib.evalModules {
    modules = [ ./declare-value-int-default.nix ];
  };
  extended = base.extendModules { modules = [ { value = 20; } ]; };
in
{
  options.result = lib.mkOption {
    default = { base = base.config.value; extended = extended.config.value; };
  };
}
