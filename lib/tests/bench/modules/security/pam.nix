{ lib, config, pkgs, ... }:
with lib;
let
  pamOpts = { name, config, ... }: {
    options = {
      name = mkOption { type = types.str; default = name; description = "Service name."; };
      unixAuth = mkOption { type = types.bool; default = true; description = "Whether to use pam_unix."; };
      rootOK = mkOption { type = types.bool; default = false; description = "Whether root may skip authentication."; };
      startSession = mkOption { type = types.bool; default = false; description = "Whether to start a systemd session."; };
      setEnvironment = mkOption { type = types.bool; default = true; description = "Whether to read /etc/environment."; };
      text = mkOption { type = types.nullOr types.lines; description = "The PAM configuration."; };
    };
    config.text = mkDefault (concatStringsSep "\n" (filter (s: s != "") [
      "account required pam_unix.so"
      (optionalString config.rootOK "auth sufficient pam_rootok.so")
      (optionalString config.unixAuth "auth sufficient pam_unix.so likeauth try_first_pass")
      "auth required pam_deny.so"
      "password sufficient pam_unix.so nullok yescrypt"
      (optionalString config.setEnvironment "session required pam_env.so conffile=/etc/pam/environment readenv=0")
      "session required pam_unix.so"
      (optionalString config.startSession "session optional pam_systemd.so")
    ]) + "\n");
  };
in
{
  options.security.pam.services = mkOption { type = types.attrsOf (types.submodule pamOpts); default = { }; description = "PAM services."; };
  config = {
    security.pam.services = {
      login = { startSession = true; };
      su = { rootOK = true; };
      sshd = mkIf config.services.openssh.enable { startSession = true; };
      sudo = mkIf config.security.sudo.enable { };
      passwd = { };
      chsh = { rootOK = true; };
    };
    environment.etc = mapAttrs' (n: s: nameValuePair "pam.d/${n}" { text = s.text; }) config.security.pam.services;
  };
}
