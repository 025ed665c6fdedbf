# Conditions at every level of a submodule definition.
{ lib, config, ... }:
{
  users = lib.mkIf config.enable {
    dave = lib.mkIf true {
      enable = lib.mkIf true true;
    };
  };
}
