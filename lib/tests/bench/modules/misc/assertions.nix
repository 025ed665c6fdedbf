{ lib, ... }:
with lib;
{
  options = {
    assertions = mkOption {
      type = types.listOf types.unspecified;
      internal = true;
      default = [ ];
      description = "Conditions that must hold; a failed one stops the build with its message.";
    };
    warnings = mkOption {
      internal = true;
      default = [ ];
      type = types.listOf types.str;
      description = "Messages printed when the system is built.";
    };
  };
}
