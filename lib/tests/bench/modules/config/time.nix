{ lib, config, pkgs, ... }:
with lib;
{
  options.time = {
    timeZone = mkOption { type = types.nullOr (types.addCheck types.str (s: !(hasInfix " " s))); default = null; description = "The time zone."; };
    hardwareClockInLocalTime = mkOption { type = types.bool; default = false; description = "Whether the RTC keeps local time."; };
  };
  config = mkIf (config.time.timeZone != null) {
    environment.etc.localtime = { source = "${pkgs.tzdata}/share/zoneinfo/${config.time.timeZone}"; mode = "direct-symlink"; };
    environment.variables.TZDIR = "/etc/zoneinfo";
  };
}
