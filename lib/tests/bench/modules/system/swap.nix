{ lib, config, pkgs, ... }:
with lib;
{
  options.swapDevices = mkOption {
    type = types.listOf (types.submodule ({ config, ... }: {
      options = {
        device = mkOption { type = types.str; description = "The swap device or file."; };
        size = mkOption { type = types.nullOr types.ints.positive; default = null; description = "Size in MiB of a swap file to create."; };
        priority = mkOption { type = types.nullOr types.int; default = null; description = "Swap priority."; };
      };
    }));
    default = [ ];
    description = "Swap devices.";
  };
  config.systemd.services = listToAttrs (map (s: nameValuePair "mkswap-${replaceStrings [ "/" ] [ "-" ] s.device}" {
    description = "Initialise swap ${s.device}";
    wantedBy = [ "multi-user.target" ];
    serviceConfig.Type = "oneshot";
    script = optionalString (s.size != null) "fallocate -l ${toString s.size}M ${s.device}\n" + "mkswap ${s.device}\n";
  }) config.swapDevices);
}
