# Submodules in submodules, and the option path (loc) they see.
{ lib, ... }:
let
  inherit (lib) mkOption types;
in
{
  options.outer = mkOption {
    type = types.attrsOf (types.submodule ({ name, options, ... }: {
      options.inner = mkOption {
        type = types.attrsOf (types.submodule ({ name, options, ... }: {
          options.value = mkOption { type = types.int; default = 1; };
          options.path = mkOption { type = types.str; default = lib.showOption options.value.loc; };
        }));
        default = { };
      };
      options.path = mkOption { type = types.str; default = lib.showOption options.inner.loc; };
    }));
  };
  config.outer.x.inner."y.z".value = 2;
}
