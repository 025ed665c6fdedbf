{ lib, config, pkgs, ... }:
with lib;
let
  interfaces = attrValues config.networking.interfaces;
  dhcp = filter (i: i.useDHCP == true || (i.useDHCP == null && config.networking.useDHCP && i.ipv4.addresses == [ ])) interfaces;
  enable = config.networking.useDHCP || dhcp != [ ];
in
{
  options.networking.dhcpcd = {
    extraConfig = mkOption { type = types.lines; default = ""; description = "Extra dhcpcd.conf lines."; };
    denyInterfaces = mkOption { type = types.listOf types.str; default = [ ]; description = "Interfaces dhcpcd ignores."; };
    wait = mkOption { type = types.enum [ "background" "any" "ipv4" "ipv6" "both" "if-carrier-up" ]; default = "any"; description = "What to wait for."; };
  };
  config = mkIf enable {
    environment.etc."dhcpcd.conf".text = ''
      hostname
      option domain_name_servers, domain_name, domain_search
      denyinterfaces ${concatStringsSep " " (config.networking.dhcpcd.denyInterfaces ++ [ "veth*" "docker*" ])}
      ${optionalString (dhcp != [ ] && !config.networking.useDHCP) "allowinterfaces ${concatMapStringsSep " " (i: i.name) dhcp}"}
      ${config.networking.dhcpcd.extraConfig}
    '';
    systemd.services.dhcpcd = {
      description = "DHCP Client";
      wantedBy = [ "multi-user.target" ] ++ optional (config.networking.dhcpcd.wait != "background") "network-online.target";
      before = [ "network-online.target" ];
      path = [ pkgs.dhcpcd pkgs.iproute2 ];
      serviceConfig = { ExecStart = "${pkgs.dhcpcd}/bin/dhcpcd --quiet --config /etc/dhcpcd.conf"; Restart = "always"; };
    };
  };
}
