{ lib, config, pkgs, ... }:
with lib;
let
  enabled = filterAttrs (_: s: s.enable) config.services.redis.servers;
  serverOpts = { name, config, ... }: {
    options = {
      enable = mkEnableOption "this Redis server";
      user = mkOption { type = types.str; default = if name == "" then "redis" else "redis-${name}"; description = "User."; };
      port = mkOption { type = types.port; default = if name == "" then 6379 else 0; description = "Port (0: socket only)."; };
      bind = mkOption { type = types.nullOr types.str; default = "127.0.0.1"; description = "Address."; };
      unixSocket = mkOption { type = types.nullOr types.path; default = "/run/${config.user}/redis.sock"; description = "Socket."; };
      databases = mkOption { type = types.int; default = 16; description = "Number of databases."; };
      save = mkOption { type = types.listOf (types.listOf types.int); default = [ [ 900 1 ] [ 300 10 ] [ 60 10000 ] ]; description = "Snapshot points."; };
      settings = mkOption { type = with types; attrsOf (oneOf [ bool int str (listOf str) ]); default = { }; description = "redis.conf settings."; };
    };
    config.settings = mkMerge [
      { port = config.port; databases = config.databases; daemonize = false; }
      (mkIf (config.bind != null) { bind = config.bind; })
      (mkIf (config.unixSocket != null) { unixsocket = config.unixSocket; })
      { save = map (concatMapStringsSep " " toString) config.save; }
    ];
  };
in
{
  options.services.redis.servers = mkOption { type = types.attrsOf (types.submodule serverOpts); default = { }; description = "Redis servers."; };
  config = mkIf (enabled != { }) {
    users.users = mapAttrs' (n: s: nameValuePair s.user { isSystemUser = true; group = s.user; }) enabled;
    users.groups = mapAttrs' (n: s: nameValuePair s.user { }) enabled;
    environment.etc = mapAttrs' (n: s: nameValuePair "redis/${if n == "" then "default" else n}.conf" {
      text = concatStrings (mapAttrsToList (k: v: if isList v then concatMapStrings (x: "${k} ${x}\n") v else "${k} ${if isBool v then (if v then "yes" else "no") else toString v}\n") s.settings);
    }) enabled;
    systemd.services = mapAttrs' (n: s: nameValuePair "redis-${if n == "" then "default" else n}" {
      description = "Redis server ${n}";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      serviceConfig = { ExecStart = "${pkgs.redis}/bin/redis-server /etc/redis/${if n == "" then "default" else n}.conf"; User = s.user; };
    }) enabled;
  };
}
