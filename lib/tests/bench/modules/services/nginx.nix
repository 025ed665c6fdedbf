{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.services.nginx;

  locationOpts = { name, ... }: {
    options = {
      proxyPass = mkOption { type = types.nullOr types.str; default = null; description = "Upstream URL."; };
      root = mkOption { type = types.nullOr types.str; default = null; description = "Document root."; };
      index = mkOption { type = types.nullOr types.str; default = null; description = "Index files."; };
      return = mkOption { type = types.nullOr (types.oneOf [ types.str types.int ]); default = null; description = "Response."; };
      extraConfig = mkOption { type = types.lines; default = ""; description = "Extra location directives."; };
      priority = mkOption { type = types.int; default = 1000; description = "Order of the location."; };
    };
  };

  vhostOpts = { name, config, ... }: {
    options = {
      serverName = mkOption { type = types.str; default = name; description = "Primary server name."; };
      serverAliases = mkOption { type = types.listOf types.str; default = [ ]; description = "Additional names."; };
      listen = mkOption {
        type = types.listOf (types.submodule {
          options.addr = mkOption { type = types.str; description = "Address."; };
          options.port = mkOption { type = types.nullOr types.port; default = null; description = "Port."; };
          options.ssl = mkOption { type = types.bool; default = false; description = "Whether TLS is used."; };
        });
        default = [ ];
        description = "Listen addresses.";
      };
      forceSSL = mkOption { type = types.bool; default = false; description = "Whether to redirect to HTTPS."; };
      enableACME = mkOption { type = types.bool; default = false; description = "Whether to get a certificate."; };
      root = mkOption { type = types.nullOr types.str; default = null; description = "Document root."; };
      locations = mkOption { type = types.attrsOf (types.submodule locationOpts); default = { }; description = "Locations."; };
      extraConfig = mkOption { type = types.lines; default = ""; description = "Extra server directives."; };
    };
    config.listen = mkDefault ([ { addr = "0.0.0.0"; port = 80; } ] ++ optional config.forceSSL { addr = "0.0.0.0"; port = 443; ssl = true; });
  };

  locationText = path: l: ''
    location ${path} {
      ${optionalString (l.proxyPass != null) "proxy_pass ${l.proxyPass};"}
      ${optionalString (l.root != null) "root ${l.root};"}
      ${optionalString (l.index != null) "index ${l.index};"}
      ${optionalString (l.return != null) "return ${toString l.return};"}
      ${l.extraConfig}
    }
  '';

  vhostText = v: ''
    server {
      ${concatMapStrings (l: "listen ${l.addr}:${toString l.port}${optionalString l.ssl " ssl"};\n") v.listen}
      server_name ${v.serverName} ${concatStringsSep " " v.serverAliases};
      ${optionalString (v.root != null) "root ${v.root};"}
      ${concatStrings (map (x: locationText x.name x.value) (sortOn (x: x.value.priority) (attrsToList v.locations)))}
      ${v.extraConfig}
    }
  '';
in
{
  options.services.nginx = {
    enable = mkEnableOption "the nginx web server";
    package = mkPackageOption pkgs "nginx" { };
    user = mkOption { type = types.str; default = "nginx"; description = "User of the worker processes."; };
    group = mkOption { type = types.str; default = "nginx"; description = "Group of the worker processes."; };
    recommendedGzipSettings = mkOption { type = types.bool; default = false; description = "Whether to enable gzip."; };
    recommendedProxySettings = mkOption { type = types.bool; default = false; description = "Whether to set proxy headers."; };
    appendHttpConfig = mkOption { type = types.lines; default = ""; description = "Extra http directives."; };
    virtualHosts = mkOption { type = types.attrsOf (types.submodule vhostOpts); default = { }; description = "Virtual hosts."; };
  };

  config = mkIf cfg.enable {
    users.users.${cfg.user} = { isSystemUser = true; group = cfg.group; uid = config.ids.uids.nginx; home = "/var/spool/nginx"; };
    users.groups.${cfg.group} = { };
    networking.firewall.allowedTCPPorts = [ 80 443 ];
    environment.etc."nginx/nginx.conf".text = ''
      user ${cfg.user} ${cfg.group};
      http {
        ${optionalString cfg.recommendedGzipSettings "gzip on;"}
        ${optionalString cfg.recommendedProxySettings "proxy_set_header Host $host;"}
        ${concatMapStrings vhostText (attrValues cfg.virtualHosts)}
        ${cfg.appendHttpConfig}
      }
    '';
    systemd.services.nginx = {
      description = "Nginx Web Server";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      restartTriggers = [ config.environment.etc."nginx/nginx.conf".source ];
      serviceConfig = {
        ExecStart = "${cfg.package}/bin/nginx -c /etc/nginx/nginx.conf";
        Restart = "always";
        User = cfg.user;
        AmbientCapabilities = [ "CAP_NET_BIND_SERVICE" ];
      };
    };
  };
}
