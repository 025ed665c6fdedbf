# services.getty.autologinUser: a shell on the serial console, as NixOS's
# autologin getty gives one. Frazil has no login program, so the shell is
# simply a service on the console's terminal, run as the user and started
# again whenever it exits.
{ config, lib, ... }:
with lib;
let
  cfg = config.services.getty;
  tty = config.boot.serialConsole;
in
{
  options.services.getty.autologinUser = mkOption {
    type = types.nullOr types.str;
    default = null;
    example = "root";
    description = ''
      A user whose shell runs on the serial console (boot.serialConsole)
      without a login prompt, restarted when it exits. null (the default)
      leaves the console to PID 1's messages. Whoever reaches the console
      gets this user's rights: set it for VMs and development boards.
    '';
  };

  config = mkIf (cfg.autologinUser != null) {
    assertions = [
      { assertion = tty != null; message = "services.getty.autologinUser needs boot.serialConsole, the terminal the shell runs on."; }
      { assertion = config.users.users ? ${cfg.autologinUser}; message = "services.getty.autologinUser: the user \"${cfg.autologinUser}\" is not defined in users.users."; }
    ];
    systemd.services.console-shell = {
      description = "Shell for ${cfg.autologinUser} on /dev/${toString tty}";
      wantedBy = [ "multi-user.target" ];
      serviceConfig = {
        # Through /run/current-system, so that after a switch the next
        # shell is the new generation's.
        ExecStart = "/run/current-system/sw/bin/sh";
        StandardInput = "tty";
        TTYPath = "/dev/${toString tty}";
        Restart = "always";
        RestartSec = "100ms";
        User = cfg.autologinUser;
      };
    };
  };
}
