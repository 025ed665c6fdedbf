{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.services.postgresql;
in
{
  options.services.postgresql = {
    enable = mkEnableOption "PostgreSQL";
    package = mkPackageOption pkgs "postgresql" { };
    port = mkOption { type = types.port; default = 5432; description = "Port."; };
    dataDir = mkOption { type = types.path; default = "/var/lib/postgresql/${config.system.stateVersion}"; description = "Data directory."; };
    ensureDatabases = mkOption { type = types.listOf types.str; default = [ ]; description = "Databases to create."; };
    ensureUsers = mkOption {
      type = types.listOf (types.submodule {
        options.name = mkOption { type = types.str; description = "Role name."; };
        options.ensureDBOwnership = mkOption { type = types.bool; default = false; description = "Whether the role owns the database of its name."; };
      });
      default = [ ];
      description = "Roles to create.";
    };
    settings = mkOption {
      type = types.submodule { freeformType = with types; attrsOf (oneOf [ bool float int str ]); options.port = mkOption { type = types.port; default = cfg.port; description = "Port."; }; };
      default = { };
      description = "postgresql.conf settings.";
    };
  };
  config = mkIf cfg.enable {
    users.users.postgres = { uid = config.ids.uids.postgres; group = "postgres"; home = cfg.dataDir; isSystemUser = true; };
    users.groups.postgres = { };
    environment.etc."postgresql/postgresql.conf".text = concatStrings (mapAttrsToList (n: v: "${n} = ${if isString v then "'${v}'" else if isBool v then boolToString v else toString v}\n") cfg.settings);
    systemd.services.postgresql = {
      description = "PostgreSQL Server";
      wantedBy = [ "multi-user.target" ];
      after = [ "network.target" ];
      path = [ cfg.package ];
      environment.PGDATA = cfg.dataDir;
      preStart = "[ -e ${cfg.dataDir}/PG_VERSION ] || initdb -D ${cfg.dataDir}";
      script = "exec postgres";
      serviceConfig = { User = "postgres"; Group = "postgres"; Type = "notify"; };
      postStart = concatMapStrings (db: "createdb ${db} || true\n") cfg.ensureDatabases
        + concatMapStrings (u: "createuser ${u.name} || true\n" + optionalString u.ensureDBOwnership "psql -c 'ALTER DATABASE ${u.name} OWNER TO ${u.name}'\n") cfg.ensureUsers;
    };
  };
}
