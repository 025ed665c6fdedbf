# Errors inside an evaluation with a prefix name the full path.
{ lib, ... }:
let
  inner = lib.evalModules {
    prefix = [ "outer" "space" ];
    modules = [ ./declare-value-int.nix { value = "x"; } ];
  };
in
{
  options.result = lib.mkOption { default = inner.config.value; };
}
