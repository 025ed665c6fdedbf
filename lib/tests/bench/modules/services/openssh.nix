{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.services.openssh;
  settingsFormat = types.attrsOf (types.nullOr (types.oneOf [ types.bool types.int types.str (types.listOf types.str) ]));
  render = n: v: if isList v then "${n} ${concatStringsSep "," v}" else if isBool v then "${n} ${if v then "yes" else "no"}" else "${n} ${toString v}";
in
{
  options.services.openssh = {
    enable = mkEnableOption "the OpenSSH daemon";
    package = mkPackageOption pkgs "openssh" { };
    ports = mkOption { type = types.listOf types.port; default = [ 22 ]; description = "Ports to listen on."; };
    openFirewall = mkOption { type = types.bool; default = true; description = "Whether to open the ports in the firewall."; };
    hostKeys = mkOption {
      type = types.listOf (types.submodule {
        options.type = mkOption { type = types.enum [ "rsa" "ed25519" "ecdsa" ]; description = "Key type."; };
        options.path = mkOption { type = types.str; description = "Key file."; };
        options.bits = mkOption { type = types.nullOr types.int; default = null; description = "Key size."; };
      });
      default = [
        { type = "ed25519"; path = "/etc/ssh/ssh_host_ed25519_key"; }
        { type = "rsa"; bits = 4096; path = "/etc/ssh/ssh_host_rsa_key"; }
      ];
      description = "Host keys.";
    };
    settings = mkOption {
      type = types.submodule {
        freeformType = settingsFormat;
        options = {
          PermitRootLogin = mkOption { type = types.enum [ "yes" "without-password" "prohibit-password" "forced-commands-only" "no" ]; default = "prohibit-password"; description = "Whether root may log in."; };
          PasswordAuthentication = mkOption { type = types.bool; default = true; description = "Whether passwords are accepted."; };
          X11Forwarding = mkOption { type = types.bool; default = false; description = "Whether X11 forwarding is allowed."; };
        };
      };
      default = { };
      description = "sshd_config settings.";
    };
    extraConfig = mkOption { type = types.lines; default = ""; description = "Extra sshd_config lines."; };
  };

  config = mkIf cfg.enable {
    users.users.sshd = { isSystemUser = true; group = "sshd"; description = "SSH privilege separation user"; };
    users.groups.sshd = { };
    environment.systemPackages = [ cfg.package ];
    networking.firewall.allowedTCPPorts = mkIf cfg.openFirewall cfg.ports;
    environment.etc."ssh/sshd_config".text = concatMapStrings (p: "Port ${toString p}\n") cfg.ports
      + concatMapStrings (k: "HostKey ${k.path}\n") cfg.hostKeys
      + concatStrings (mapAttrsToList (n: v: optionalString (v != null) (render n v + "\n")) cfg.settings)
      + cfg.extraConfig;
    systemd.services.sshd = {
      description = "SSH Daemon";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      path = [ cfg.package ];
      restartTriggers = [ config.environment.etc."ssh/sshd_config".source ];
      preStart = concatMapStrings (k: "[ -f ${k.path} ] || ssh-keygen -t ${k.type} ${optionalString (k.bits != null) "-b ${toString k.bits} "}-f ${k.path} -N ''\n") cfg.hostKeys;
      serviceConfig = {
        ExecStart = "${cfg.package}/bin/sshd -D -f /etc/ssh/sshd_config";
        KillMode = "process";
        Restart = "always";
      };
    };
  };
}
