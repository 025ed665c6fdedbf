# A users.users-like attrsOf submodule with the `name` argument.
{ lib, ... }:
let
  inherit (lib) mkOption types;
  userOpts = { name, config, ... }: {
    options = {
      name = mkOption { type = types.str; default = name; };
      uid = mkOption { type = types.nullOr types.int; default = null; };
      enable = mkOption { type = types.bool; default = false; };
      home = mkOption { type = types.path; default = "/home/${config.name}"; };
      groups = mkOption { type = types.listOf types.str; default = [ ]; };
    };
  };
in
{
  options.users = mkOption {
    type = types.attrsOf (types.submodule userOpts);
    default = { };
  };
}
