# NixOS-style assertions and warnings, checked when `result` is read.
{ lib, config, ... }:
let
  inherit (lib) mkOption types;
in
{
  options = {
    assertions = mkOption {
      type = types.listOf types.unspecified;
      default = [ ];
    };
    warnings = mkOption {
      type = types.listOf types.str;
      default = [ ];
    };
    result = mkOption {
      default = lib.asserts.checkAssertWarn config.assertions config.warnings "ok";
    };
  };
}
