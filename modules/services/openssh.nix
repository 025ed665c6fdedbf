# services.openssh: Frazil's SSH server (cmd/frazil-sshd), public-key
# logins only. Keys come from /etc/ssh/authorized_keys.d/<user> (written
# from users.users.<name>.openssh.authorizedKeys) and ~/.ssh/authorized_keys.
{ config, lib, pkgs, ... }:
with lib;
let
  cfg = config.services.openssh;
  os = import ../../pkgs/os pkgs;
in
{
  options.services.openssh = {
    enable = mkEnableOption "the SSH server";

    package = mkOption {
      type = types.package;
      default = os.frazil-sshd;
      defaultText = literalExpression "frazil-sshd";
      description = "The SSH server.";
    };

    ports = mkOption {
      type = types.nonEmptyListOf types.port;
      default = [ 22 ];
      description = "Ports the server listens on (all addresses).";
    };

    listenAddresses = mkOption {
      type = types.listOf (types.submodule {
        options.addr = mkOption { type = types.str; description = "Address to listen on."; };
        options.port = mkOption { type = types.nullOr types.port; default = null; description = "Port (null: each of ports)."; };
      });
      default = [ ];
      example = [{ addr = "192.168.1.2"; port = 22; }];
      description = "Addresses to listen on instead of every address.";
    };

    hostKeys = mkOption {
      type = types.listOf (types.submodule {
        options.path = mkOption { type = types.str; description = "Where the key is (created at first start if missing)."; };
        options.type = mkOption { type = types.enum [ "ed25519" ]; default = "ed25519"; description = "Key type."; };
      });
      default = [{ path = "/etc/ssh/ssh_host_ed25519_key"; type = "ed25519"; }];
      description = "The server's host keys.";
    };

    settings = mkOption {
      type = types.submodule {
        freeformType = types.attrsOf (types.oneOf [ types.bool types.int types.str ]);
        options = {
          PermitRootLogin = mkOption {
            type = types.enum [ "yes" "prohibit-password" "without-password" "no" ];
            default = "prohibit-password";
            description = "Whether root may log in (with a key: yes, prohibit-password; no: never).";
          };
          PasswordAuthentication = mkOption {
            type = types.bool;
            default = false;
            description = "Password logins: not supported (must stay false).";
          };
        };
      };
      default = { };
      description = "sshd_config(5) settings; Frazil's server implements the declared ones.";
    };
  };

  config = mkIf cfg.enable {
    systemd.services.sshd = {
      description = "SSH server";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      serviceConfig = {
        ExecStart = concatStringsSep " " ([ "${cfg.package}/bin/frazil-sshd" ]
          ++ (if cfg.listenAddresses != [ ]
          then concatMap (l: if l.port != null then [ "-listen" "${l.addr}:${toString l.port}" ] else map (p: "-listen ${l.addr}:${toString p}") cfg.ports) cfg.listenAddresses
          else map (p: "-listen :${toString p}") cfg.ports)
          ++ map (k: "-host-key ${k.path}") cfg.hostKeys
          ++ [ "-permit-root-login" (if elem cfg.settings.PermitRootLogin [ "yes" "prohibit-password" "without-password" ] then "yes" else "no") ]);
        Restart = "always";
        RestartSec = 1;
      };
    };

    assertions = [{
      assertion = !cfg.settings.PasswordAuthentication;
      message = "services.openssh.settings.PasswordAuthentication: Frazil's SSH server accepts public keys only.";
    }];
  };
}
