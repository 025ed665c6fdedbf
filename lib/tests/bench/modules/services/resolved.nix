{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.services.resolved;
in
{
  options.services.resolved = {
    enable = mkOption { type = types.bool; default = false; description = "Whether to run systemd-resolved."; };
    fallbackDns = mkOption { type = types.nullOr (types.listOf types.str); default = null; description = "Fallback DNS servers."; };
    dnssec = mkOption { type = types.enum [ "true" "allow-downgrade" "false" ]; default = "false"; description = "DNSSEC mode."; };
    llmnr = mkOption { type = types.enum [ "true" "resolve" "false" ]; default = "true"; description = "LLMNR mode."; };
  };
  config = mkIf cfg.enable {
    environment.etc."systemd/resolved.conf".text = ''
      [Resolve]
      DNS=${concatStringsSep " " config.networking.nameservers}
      ${optionalString (cfg.fallbackDns != null) "FallbackDNS=${concatStringsSep " " cfg.fallbackDns}"}
      DNSSEC=${cfg.dnssec}
      LLMNR=${cfg.llmnr}
    '';
    environment.etc."resolv.conf".source = "/run/systemd/resolve/stub-resolv.conf";
    systemd.services.systemd-resolved = { description = "Network Name Resolution"; wantedBy = [ "multi-user.target" ]; };
  };
}
