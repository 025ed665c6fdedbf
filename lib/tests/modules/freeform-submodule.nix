# The common `settings` pattern: a freeform submodule with a few declared
# options, rendered to a key=value file.
{ lib, config, ... }:
let
  inherit (lib) mkOption types;
in
{
  options.settings = mkOption {
    type = types.submodule {
      freeformType = types.attrsOf (types.oneOf [ types.str types.int types.bool ]);
      options.port = mkOption { type = types.port; default = 22; };
    };
    default = { };
  };
  options.rendered = mkOption {
    type = types.str;
    default = lib.generators.toKeyValue { } config.settings;
  };
  config.settings = {
    PermitRootLogin = "no";
    MaxSessions = 4;
  };
}
