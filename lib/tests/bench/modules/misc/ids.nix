{ lib, ... }:
with lib;
{
  options.ids = {
    uids = mkOption { type = types.attrsOf types.int; internal = true; description = "Static user ids."; };
    gids = mkOption { type = types.attrsOf types.int; internal = true; description = "Static group ids."; };
  };
  config.ids.uids = {
    root = 0; nobody = 65534; sshd = 75; nginx = 60; postgres = 71; redis = 181; systemd-timesync = 154;
    systemd-journal = 190; messagebus = 4; node-exporter = 300;
  };
  config.ids.gids = {
    root = 0; wheel = 1; users = 100; nogroup = 65534; nginx = 60; postgres = 71; redis = 181; audio = 17;
    video = 26; systemd-journal = 62; keys = 96;
  };
}
