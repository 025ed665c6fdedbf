{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.networking.firewall;
  portOpts = {
    allowedTCPPorts = mkOption { type = types.listOf types.port; default = [ ]; description = "Open TCP ports."; };
    allowedUDPPorts = mkOption { type = types.listOf types.port; default = [ ]; description = "Open UDP ports."; };
    allowedTCPPortRanges = mkOption { type = types.listOf (types.attrsOf types.port); default = [ ]; description = "Open TCP port ranges."; };
  };
  rules = iface: c:
    concatMapStrings (p: "-A nixos-fw ${optionalString (iface != "default") "-i ${iface} "}-p tcp --dport ${toString p} -j nixos-fw-accept\n") c.allowedTCPPorts
    + concatMapStrings (p: "-A nixos-fw ${optionalString (iface != "default") "-i ${iface} "}-p udp --dport ${toString p} -j nixos-fw-accept\n") c.allowedUDPPorts
    + concatMapStrings (r: "-A nixos-fw -p tcp --dport ${toString r.from}:${toString r.to} -j nixos-fw-accept\n") c.allowedTCPPortRanges;
in
{
  options.networking.firewall = portOpts // {
    enable = mkOption { type = types.bool; default = true; description = "Whether to enable the firewall."; };
    allowPing = mkOption { type = types.bool; default = true; description = "Whether to answer pings."; };
    logRefusedConnections = mkOption { type = types.bool; default = true; description = "Whether to log refused connections."; };
    trustedInterfaces = mkOption { type = types.listOf types.str; default = [ ]; description = "Interfaces with all traffic allowed."; };
    interfaces = mkOption { type = types.attrsOf (types.submodule { options = portOpts; }); default = { }; description = "Per-interface ports."; };
    extraCommands = mkOption { type = types.lines; default = ""; description = "Extra iptables commands."; };
  };

  config = mkIf cfg.enable {
    networking.firewall.interfaces.default = mapAttrs (_: mkDefault) { inherit (cfg) allowedTCPPorts allowedUDPPorts allowedTCPPortRanges; };
    networking.firewall.trustedInterfaces = [ "lo" ];
    systemd.services.firewall = {
      description = "Firewall";
      wantedBy = [ "sysinit.target" ];
      before = [ "network-pre.target" ];
      path = [ pkgs.iptables ];
      serviceConfig = { Type = "oneshot"; RemainAfterExit = true; };
      script = concatStrings (mapAttrsToList rules cfg.interfaces)
        + concatMapStrings (i: "-A nixos-fw -i ${i} -j nixos-fw-accept\n") cfg.trustedInterfaces
        + optionalString cfg.allowPing "-A nixos-fw -p icmp --icmp-type echo-request -j nixos-fw-accept\n"
        + optionalString cfg.logRefusedConnections "-A nixos-fw -j LOG --log-prefix refused\n"
        + cfg.extraCommands;
    };
  };
}
