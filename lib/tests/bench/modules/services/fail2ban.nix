{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.services.fail2ban;
  jailOpts = { name, ... }: {
    options = {
      enabled = mkOption { type = types.bool; default = true; description = "Whether the jail is active."; };
      filter = mkOption { type = types.str; default = name; description = "The filter."; };
      maxretry = mkOption { type = types.ints.positive; default = cfg.maxretry; description = "Failures before a ban."; };
      settings = mkOption { type = with types; attrsOf (oneOf [ str int bool ]); default = { }; description = "Jail settings."; };
    };
  };
in
{
  options.services.fail2ban = {
    enable = mkEnableOption "fail2ban";
    maxretry = mkOption { type = types.ints.positive; default = 3; description = "Default failures before a ban."; };
    bantime = mkOption { type = types.str; default = "10m"; description = "Ban duration."; };
    ignoreIP = mkOption { type = types.listOf types.str; default = [ ]; description = "Addresses never banned."; };
    jails = mkOption { type = types.attrsOf (types.submodule jailOpts); default = { }; description = "Jails."; };
  };
  config = mkIf cfg.enable {
    services.fail2ban.jails.sshd = mkIf config.services.openssh.enable { settings.port = concatMapStringsSep "," toString config.services.openssh.ports; };
    environment.etc."fail2ban/jail.local".text = ''
      [DEFAULT]
      bantime = ${cfg.bantime}
      ignoreip = 127.0.0.1/8 ${concatStringsSep " " cfg.ignoreIP}
    '' + concatStrings (mapAttrsToList (n: j: ''
      [${n}]
      enabled = ${boolToString j.enabled}
      filter = ${j.filter}
      maxretry = ${toString j.maxretry}
      ${concatStrings (mapAttrsToList (k: v: "${k} = ${toString v}\n") j.settings)}
    '') cfg.jails);
    systemd.services.fail2ban = {
      description = "Fail2ban Intrusion Prevention System";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" "firewall.service" ];
      path = [ pkgs.fail2ban pkgs.iptables ];
      serviceConfig.ExecStart = "${pkgs.fail2ban}/bin/fail2ban-server -xf start";
    };
  };
}
