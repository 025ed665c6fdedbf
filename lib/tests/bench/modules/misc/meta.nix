{ lib, ... }:
with lib;
{
  options.meta = {
    maintainers = mkOption {
      type = types.listOf types.str;
      internal = true;
      default = [ ];
      description = "Maintainers of the module.";
    };
    doc = mkOption {
      type = types.attrsOf types.path;
      internal = true;
      default = { };
      description = "Documentation of modules.";
    };
  };
  config.meta.maintainers = [ "frazil" ];
}
