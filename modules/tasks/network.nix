# Networking: the host name and the interfaces' static addresses, DHCP, the
# default gateway and name servers, which PID 1 applies from activation.json.
{ config, lib, ... }:
with lib;
let
  cfg = config.networking;

  addressOptions = {
    options = {
      address = mkOption {
        type = types.strMatching "[0-9]{1,3}([.][0-9]{1,3}){3}";
        example = "192.168.1.10";
        description = "IPv4 address of the interface.";
      };
      prefixLength = mkOption {
        type = types.ints.between 0 32;
        example = 24;
        description = "Subnet mask of the interface, as the number of bits in the prefix.";
      };
    };
  };

  interfaceOptions = { name, ... }: {
    options = {
      name = mkOption {
        type = types.str;
        description = "Name of the interface (the attribute name).";
      };
      useDHCP = mkOption {
        type = types.nullOr types.bool;
        default = null;
        description = "Whether to configure the interface with DHCP; null follows networking.useDHCP.";
      };
      ipv4.addresses = mkOption {
        type = types.listOf (types.submodule addressOptions);
        default = [ ];
        example = [{ address = "10.0.0.1"; prefixLength = 16; }];
        description = "Static IPv4 addresses of the interface.";
      };
    };
    config.name = mkDefault name;
  };

  gatewayOptions = {
    options = {
      address = mkOption {
        type = types.str;
        description = "The default gateway's address.";
      };
      interface = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "The interface the gateway is reached through (null: any).";
      };
    };
  };

  interfaces = sort (a: b: a.name < b.name) (attrValues cfg.interfaces);
in
{
  options.networking = {
    hostName = mkOption {
      type = types.strMatching "^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$";
      default = "frazil";
      description = ''
        The machine's host name: a DNS label (letters, digits, - and _, at most
        63 characters). It is part of the toplevel's name.
      '';
    };

    useDHCP = mkOption {
      type = types.bool;
      default = true;
      description = ''
        Whether to configure interfaces with DHCP: those not listed in
        networking.interfaces, and those listed with useDHCP = null.
      '';
    };

    interfaces = mkOption {
      type = types.attrsOf (types.submodule interfaceOptions);
      default = { };
      example = literalExpression ''{ eth0.ipv4.addresses = [ { address = "192.168.1.2"; prefixLength = 24; } ]; }'';
      description = "The network interfaces.";
    };

    defaultGateway = mkOption {
      type = types.nullOr (types.coercedTo types.str (address: { inherit address; }) (types.submodule gatewayOptions));
      default = null;
      example = "192.168.1.1";
      description = "The default gateway (an address, or { address; interface; }).";
    };

    nameservers = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "9.9.9.9" ];
      description = "Name servers written to /etc/resolv.conf.";
    };

    extraHosts = mkOption {
      type = types.lines;
      default = "";
      example = "192.168.0.1 router";
      description = "Lines added to /etc/hosts.";
    };

    network = mkOption {
      type = types.attrs;
      readOnly = true;
      internal = true;
      description = "The network part of activation.json.";
    };
  };

  config = {
    networking.network = {
      interfaces = map
        (i: {
          inherit (i) name;
          dhcp = if i.useDHCP != null then i.useDHCP else cfg.useDHCP;
          addresses = map (a: "${a.address}/${toString a.prefixLength}") i.ipv4.addresses;
        })
        interfaces;
      dhcp = cfg.useDHCP;
    } // optionalAttrs (cfg.defaultGateway != null) { defaultGateway = cfg.defaultGateway.address; }
    // optionalAttrs (cfg.nameservers != [ ]) { inherit (cfg) nameservers; };

    environment.etc.hostname = mkIf (cfg.hostName != "") { text = cfg.hostName + "\n"; };
    environment.etc.hosts.text = ''
      127.0.0.1 localhost
      ::1 localhost
    '' + optionalString (cfg.hostName != "") ''
      127.0.1.1 ${cfg.hostName}
    '' + cfg.extraHosts;

    assertions = [{
      assertion = cfg.defaultGateway == null || cfg.defaultGateway.interface == null || cfg.interfaces ? ${cfg.defaultGateway.interface};
      message = "networking.defaultGateway.interface names an interface not in networking.interfaces.";
    }];
  };
}
