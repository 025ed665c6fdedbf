{ lib, config, pkgs, ... }:
with lib;
{
  options.environment.shells = mkOption {
    type = types.listOf (types.either types.shellPackage types.path);
    default = [ ];
    description = "Permissible login shells.";
  };
  config.environment.shells = [ "/run/current-system/sw/bin/bash" "/run/current-system/sw/bin/sh" ];
  config.environment.etc.shells.text = concatMapStrings (s: "${toString s}\n") config.environment.shells;
}
