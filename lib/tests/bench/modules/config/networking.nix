{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.networking;

  addrOpts = v: {
    options = {
      address = mkOption { type = types.str; description = "IPv${toString v} address."; };
      prefixLength = mkOption { type = types.addCheck types.int (n: n >= 0 && n <= (if v == 4 then 32 else 128)); description = "Prefix length."; };
    };
  };

  interfaceOpts = { name, ... }: {
    options = {
      name = mkOption { type = types.str; default = name; description = "Interface name."; };
      useDHCP = mkOption { type = types.nullOr types.bool; default = null; description = "Whether to use DHCP on this interface."; };
      ipv4.addresses = mkOption { type = types.listOf (types.submodule (addrOpts 4)); default = [ ]; description = "IPv4 addresses."; };
      ipv6.addresses = mkOption { type = types.listOf (types.submodule (addrOpts 6)); default = [ ]; description = "IPv6 addresses."; };
      mtu = mkOption { type = types.nullOr types.ints.u16; default = null; description = "MTU."; };
      macAddress = mkOption { type = types.nullOr types.str; default = null; description = "MAC address."; };
    };
  };
in
{
  options.networking = {
    hostName = mkOption { type = types.strMatching "^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$"; default = "frazil"; description = "The host name."; };
    domain = mkOption { type = types.nullOr types.str; default = null; description = "The domain."; };
    fqdn = mkOption { type = types.str; readOnly = true; default = if cfg.domain != null then "${cfg.hostName}.${cfg.domain}" else cfg.hostName; description = "The FQDN."; };
    nameservers = mkOption { type = types.listOf types.str; default = [ ]; description = "Name servers."; };
    search = mkOption { type = types.listOf types.str; default = [ ]; description = "Search domains."; };
    defaultGateway = mkOption { type = types.nullOr types.str; default = null; description = "Default gateway."; };
    useDHCP = mkOption { type = types.bool; default = true; description = "Whether to use DHCP on all interfaces."; };
    tempAddresses = mkOption { type = types.enum [ "default" "enabled" "disabled" ]; default = "default"; description = "IPv6 privacy addresses."; };
    extraHosts = mkOption { type = types.lines; default = ""; description = "Extra /etc/hosts lines."; };
    hosts = mkOption { type = types.attrsOf (types.listOf types.str); default = { }; description = "Host names per address."; };
    interfaces = mkOption { type = types.attrsOf (types.submodule interfaceOpts); default = { }; description = "Interfaces."; };
    enableIPv6 = mkOption { type = types.bool; default = true; description = "Whether to enable IPv6."; };
  };

  config = {
    networking.hosts = {
      "127.0.0.1" = [ "localhost" ];
      "::1" = mkIf cfg.enableIPv6 [ "localhost" ];
      "127.0.0.2" = [ cfg.fqdn cfg.hostName ];
    };
    environment.etc.hostname.text = cfg.hostName + "\n";
    environment.etc.hosts.text = concatStrings (mapAttrsToList (ip: names: "${ip} ${concatStringsSep " " names}\n") cfg.hosts) + cfg.extraHosts;
    environment.etc."resolv.conf" = mkIf (!config.services.resolved.enable) {
      text = concatMapStrings (ns: "nameserver ${ns}\n") cfg.nameservers
        + optionalString (cfg.search != [ ]) "search ${concatStringsSep " " cfg.search}\n";
    };
    boot.kernel.sysctl."net.ipv6.conf.all.disable_ipv6" = mkDefault (!cfg.enableIPv6);
    boot.kernel.sysctl."net.ipv6.conf.all.use_tempaddr" = mkIf (cfg.tempAddresses != "default") (if cfg.tempAddresses == "enabled" then 2 else 0);
    systemd.services = mapAttrs' (name: i: nameValuePair "network-addresses-${name}" {
      description = "Address configuration of ${name}";
      wantedBy = [ "network-setup.service" ];
      before = [ "network-setup.service" ];
      serviceConfig.Type = "oneshot";
      serviceConfig.RemainAfterExit = true;
      script = concatMapStrings (a: "ip addr add ${a.address}/${toString a.prefixLength} dev ${name}\n") (i.ipv4.addresses ++ i.ipv6.addresses)
        + optionalString (i.mtu != null) "ip link set dev ${name} mtu ${toString i.mtu}\n";
    }) (filterAttrs (_: i: i.ipv4.addresses != [ ] || i.ipv6.addresses != [ ]) cfg.interfaces);
  };
}
