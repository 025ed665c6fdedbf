{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.services.prometheus.exporters.node;
in
{
  options.services.prometheus.exporters.node = {
    enable = mkEnableOption "the Prometheus node exporter";
    port = mkOption { type = types.port; default = 9100; description = "Port."; };
    listenAddress = mkOption { type = types.str; default = "0.0.0.0"; description = "Address."; };
    enabledCollectors = mkOption { type = types.listOf types.str; default = [ ]; description = "Extra collectors."; };
    disabledCollectors = mkOption { type = types.listOf types.str; default = [ ]; description = "Disabled collectors."; };
    openFirewall = mkOption { type = types.bool; default = false; description = "Whether to open the port."; };
  };
  config = mkIf cfg.enable {
    users.users.node-exporter = { isSystemUser = true; group = "node-exporter"; uid = config.ids.uids.node-exporter; };
    users.groups.node-exporter = { };
    networking.firewall.allowedTCPPorts = mkIf cfg.openFirewall [ cfg.port ];
    systemd.services.prometheus-node-exporter = {
      description = "Prometheus node exporter";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      serviceConfig = {
        ExecStart = "${pkgs.prometheus-node-exporter}/bin/node_exporter --web.listen-address ${cfg.listenAddress}:${toString cfg.port} "
          + concatMapStringsSep " " (c: "--collector.${c}") cfg.enabledCollectors + " "
          + concatMapStringsSep " " (c: "--no-collector.${c}") cfg.disabledCollectors;
        User = "node-exporter";
        DynamicUser = false;
        ProtectSystem = "strict";
      };
    };
  };
}
