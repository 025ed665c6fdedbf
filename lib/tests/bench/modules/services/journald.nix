{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.services.journald;
in
{
  options.services.journald = {
    storage = mkOption { type = types.enum [ "persistent" "volatile" "auto" "none" ]; default = "persistent"; description = "Where to store the journal."; };
    rateLimitInterval = mkOption { type = types.str; default = "30s"; description = "Rate limit interval."; };
    rateLimitBurst = mkOption { type = types.int; default = 10000; description = "Rate limit burst."; };
    extraConfig = mkOption { type = types.lines; default = ""; description = "Extra journald.conf lines."; };
    forwardToSyslog = mkOption { type = types.bool; default = false; description = "Whether to forward to syslog."; };
  };
  config = {
    users.groups.systemd-journal.gid = config.ids.gids.systemd-journal;
    environment.etc."systemd/journald.conf".text = ''
      [Journal]
      Storage=${cfg.storage}
      RateLimitInterval=${cfg.rateLimitInterval}
      RateLimitBurst=${toString cfg.rateLimitBurst}
      ${optionalString cfg.forwardToSyslog "ForwardToSyslog=yes"}
      ${cfg.extraConfig}
    '';
    systemd.services.systemd-journald = {
      description = "Journal Service";
      wantedBy = [ "sysinit.target" ];
      restartIfChanged = false;
      restartTriggers = [ config.environment.etc."systemd/journald.conf".source ];
    };
  };
}
