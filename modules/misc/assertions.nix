# assertions and warnings, as in NixOS: checked when the toplevel is
# evaluated (system/top-level.nix).
{ lib, ... }:
with lib;
{
  options = {
    assertions = mkOption {
      type = types.listOf types.unspecified;
      internal = true;
      default = [ ];
      example = [{ assertion = false; message = "you can't enable this for that reason"; }];
      description = ''
        Conditions that must hold for the system to build, each
        `{ assertion = <bool>; message = "…"; }`. The messages of the failed ones
        are printed, with the file that defined them, and the build stops.
      '';
    };

    warnings = mkOption {
      internal = true;
      default = [ ];
      type = types.listOf types.str;
      example = [ "The `foo' service is deprecated and will go away soon!" ];
      description = "Messages printed when the toplevel is evaluated.";
    };
  };
}
