# A second declaration of users adds an option to the same submodule.
{ lib, ... }:
{
  options.users = lib.mkOption {
    type = lib.types.attrsOf (lib.types.submodule ({ config, ... }: {
      options.description = lib.mkOption { type = lib.types.str; default = "user ${config.name}"; };
    }));
  };
}
