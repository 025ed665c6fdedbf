{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.services.cron;
in
{
  options.services.cron = {
    enable = mkOption { type = types.bool; default = false; description = "Whether to run cron."; };
    mailto = mkOption { type = types.nullOr types.str; default = null; description = "Where to mail output."; };
    systemCronJobs = mkOption { type = types.listOf types.str; default = [ ]; description = "System crontab lines."; };
  };
  config = mkIf cfg.enable {
    environment.etc.crontab = { text = optionalString (cfg.mailto != null) "MAILTO=${cfg.mailto}\n" + concatLines cfg.systemCronJobs; mode = "0600"; };
    systemd.services.cron = {
      description = "Cron Daemon";
      wantedBy = [ "multi-user.target" ];
      path = [ pkgs.cronie ];
      serviceConfig.ExecStart = "${pkgs.cronie}/bin/cron -n";
    };
  };
}
