# A NixOS-like specialisation: the same configuration extended again.
{ lib, extendModules, ... }:
{
  imports = [ ./declare-value-int-default.nix ];
  options.special = lib.mkOption {
    default = (extendModules { modules = [ { value = lib.mkForce 100; } ]; }).config.value;
  };
}
