{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.services.timesyncd;
in
{
  options.services.timesyncd = {
    enable = mkOption { type = types.bool; default = true; description = "Whether to synchronise the clock."; };
    servers = mkOption { type = types.listOf types.str; default = map (n: "${toString n}.pool.ntp.org") (range 0 3); description = "NTP servers."; };
    extraConfig = mkOption { type = types.lines; default = ""; description = "Extra timesyncd.conf lines."; };
  };
  config = mkIf cfg.enable {
    users.users.systemd-timesync = { uid = config.ids.uids.systemd-timesync; group = "systemd-timesync"; isSystemUser = true; };
    users.groups.systemd-timesync = { };
    environment.etc."systemd/timesyncd.conf".text = "[Time]\nNTP=${concatStringsSep " " cfg.servers}\n${cfg.extraConfig}";
    systemd.services.systemd-timesyncd = {
      description = "Network Time Synchronization";
      wantedBy = [ "sysinit.target" ];
      after = [ "network-online.target" ];
      serviceConfig.User = "systemd-timesync";
    };
  };
}
