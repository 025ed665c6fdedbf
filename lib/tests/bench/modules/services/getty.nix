{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.services.getty;
in
{
  options.services.getty = {
    autologinUser = mkOption { type = types.nullOr types.str; default = null; description = "User logged in automatically."; };
    greetingLine = mkOption { type = types.str; default = "<<< Welcome to Frazil ${config.system.nixos.label} (\\m) - \\l >>>"; description = "Welcome line."; };
    helpLine = mkOption { type = types.lines; default = ""; description = "Help text."; };
    ttys = mkOption { type = types.listOf types.str; default = [ "tty1" "ttyS0" ]; description = "Terminals with a login prompt."; };
  };
  config = {
    environment.etc.issue.text = cfg.greetingLine + "\n" + cfg.helpLine + "\n";
    systemd.services = listToAttrs (map (tty: nameValuePair "getty@${tty}" {
      description = "Getty on ${tty}";
      wantedBy = [ "getty.target" ];
      serviceConfig.ExecStart = "agetty ${optionalString (cfg.autologinUser != null) "--autologin ${cfg.autologinUser} "}${tty}";
      serviceConfig.Restart = "always";
      restartIfChanged = false;
    }) cfg.ttys);
  };
}
