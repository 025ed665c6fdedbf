# services.old.* was renamed to services.new.*; NixOS always declares
# assertions and warnings, which mkRemovedOptionModule uses.
{ lib, config, ... }:
{
  imports = [
    ./assertions.nix
    (lib.mkRenamedOptionModule [ "services" "old" "port" ] [ "services" "new" "port" ])
    (lib.mkAliasOptionModule [ "aliasPort" ] [ "services" "new" "port" ])
    (lib.mkRemovedOptionModule [ "services" "gone" ] "Use services.new instead.")
    (lib.mkChangedOptionModule [ "services" "size" ] [ "services" "new" "sizeMB" ] (config: config.services.size * 1024))
    (lib.mkMergedOptionModule [ [ "services" "host" ] [ "services" "domain" ] ] [ "services" "new" "fqdn" ]
      (config: "${config.services.host}.${config.services.domain}"))
  ];
  options.services.new.port = lib.mkOption { type = lib.types.port; default = 80; };
  options.services.new.sizeMB = lib.mkOption { type = lib.types.int; default = 0; };
  options.services.new.fqdn = lib.mkOption { type = lib.types.str; default = "localhost"; };
}
