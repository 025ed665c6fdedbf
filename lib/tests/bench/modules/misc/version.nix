{ lib, config, ... }:
with lib;
{
  options.system = {
    stateVersion = mkOption {
      type = types.str;
      default = "25.05";
      description = "The release whose state formats this system keeps.";
    };
    nixos.label = mkOption {
      type = types.strMatching "[a-zA-Z0-9:_.-]*";
      default = "${config.system.nixos.release}-frazil";
      description = "The label of the generation in the boot menu.";
    };
    nixos.release = mkOption {
      readOnly = true;
      type = types.str;
      default = lib.trivial.release;
      description = "The release.";
    };
    nixos.tags = mkOption {
      type = types.listOf types.str;
      default = [ ];
      description = "Tags added to the label.";
    };
  };
}
