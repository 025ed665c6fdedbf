# activation.json: what PID 1 and activation apply on the device (host
# name, users and groups, network, kernel modules, variables; see
# init/activation and docs/architecture.md).
{ config, lib, ... }:
with lib;
{
  options.system.activationData = mkOption {
    type = types.attrs;
    readOnly = true;
    internal = true;
    description = "The contents of the toplevel's activation.json.";
  };

  config.system.activationData = {
    inherit (config.networking) hostName;
    inherit (config.users.accounts) users groups;
    network = config.networking.network;
    kernelModules = unique config.boot.kernelModules;
    variables = config.environment.variables;
    fileSystems = map (fs: { inherit (fs) mountPoint device fsType options; }) (sort (a: b: a.mountPoint < b.mountPoint) (attrValues config.fileSystems));
    swapDevices = map (s: { inherit (s) device; } // optionalAttrs (s.priority != null) { inherit (s) priority; }) config.swapDevices;
  };
}
