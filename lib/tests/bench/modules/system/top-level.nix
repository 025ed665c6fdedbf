# system.build (a freeform set other modules add to) and the summary the
# benchmark prints: what building the toplevel would read.
{ lib, config, pkgs, ... }:
with lib;
let
  failed = map (x: x.message) (filter (x: !x.assertion) config.assertions);
  services = filterAttrs (_: s: s.enable) config.systemd.services;
in
{
  options.system.build = mkOption {
    type = types.submoduleWith { modules = [ { freeformType = with types; lazyAttrsOf (uniq unspecified); } ]; };
    default = { };
    description = "Build products of the system.";
  };
  config.system.build.summary = lib.asserts.checkAssertWarn config.assertions config.warnings {
    label = config.system.nixos.label;
    hostName = config.networking.fqdn;
    etc = config.system.build.etcEntries;
    units = config.system.build.units;
    services = mapAttrs (_: s: {
      inherit (s) description wantedBy after requires path environment;
      serviceConfig = s.serviceConfig;
      restartTriggers = length s.restartTriggers;
    }) services;
    users = mapAttrs (_: u: { inherit (u) uid group home extraGroups isNormalUser; shell = toString u.shell; keys = length u.openssh.authorizedKeys.keys; }) config.users.users;
    groups = mapAttrs (_: g: g.gid) config.users.groups;
    fileSystems = mapAttrs (_: fs: { inherit (fs) device fsType options; }) config.fileSystems;
    kernelParams = config.boot.kernelParams;
    initrdModules = config.boot.initrd.availableKernelModules ++ config.boot.initrd.kernelModules;
    systemPackages = map (p: p.name) (unique config.environment.systemPackages);
    activation = config.system.build.activationScript;
    sysctl = config.boot.kernel.sysctl;
    variables = config.environment.variables;
    warnings = length config.warnings;
    failedAssertions = failed;
  };
}
