{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.programs.ssh;
  knownHostOpts = { name, ... }: {
    options.hostNames = mkOption { type = types.listOf types.str; default = [ name ]; description = "Host names."; };
    options.publicKey = mkOption { type = types.nullOr types.str; default = null; description = "The host key."; };
  };
in
{
  options.programs.ssh = {
    startAgent = mkOption { type = types.bool; default = false; description = "Whether to start ssh-agent."; };
    extraConfig = mkOption { type = types.lines; default = ""; description = "Extra ssh_config lines."; };
    knownHosts = mkOption { type = types.attrsOf (types.submodule knownHostOpts); default = { }; description = "Known host keys."; };
    forwardX11 = mkOption { type = types.nullOr types.bool; default = false; description = "Whether to forward X11."; };
  };
  config = {
    environment.etc."ssh/ssh_config".text = optionalString (cfg.forwardX11 != null) "ForwardX11 ${if cfg.forwardX11 then "yes" else "no"}\n" + cfg.extraConfig;
    environment.etc."ssh/ssh_known_hosts".text = concatStrings (mapAttrsToList (n: h:
      optionalString (h.publicKey != null) "${concatStringsSep "," h.hostNames} ${h.publicKey}\n") cfg.knownHosts);
  };
}
