# The system itself: config.system.build.toplevel, the store path a
# generation links to (see rootfs/toplevel and docs/architecture.md). Failed
# assertions stop the evaluation here, naming where they were defined.
{ config, lib, options, pkgs, ... }:
with lib;
let
  os = import ../../pkgs/os pkgs;
  kernel = config.boot.kernelPackages.kernel;
  root = config.boot.initrd.stage1Config.root;

  kernelParams = config.boot.kernelParams
    ++ optional (root != "LABEL=frazil-root") "root=${root}";

  name = "frazil-system-${if config.networking.hostName == "" then "unnamed" else config.networking.hostName}-${config.system.frazil.label}";

  toplevel = os.makeToplevel name {
    init = "${pkgs.frazil}/bin/frazil-init";
    kernel = "${kernel}/${kernel.imageFile}";
    kernelModules = "${kernel}/lib/modules";
    initrd = "${config.system.build.initrd}/initrd";
    etc = "${config.system.build.etc}/etc";
    sw = "${config.system.path}";
    inherit kernelParams;
    hostPlatform = config.nixpkgs.hostPlatform;
    label = config.system.frazil.label;
    services = { services = config.system.services; };
    activation = config.system.activationData;
    bootloader = config.boot.loader.settings;
    extraLinks = config.system.extraLinks;
  };

  # lib.asserts.checkOptionAssertions names the file and line of each
  # failed assertion; older libraries have checkAssertWarn only.
  checked =
    if lib.asserts ? checkOptionAssertions then lib.asserts.checkOptionAssertions options toplevel
    else lib.asserts.checkAssertWarn config.assertions config.warnings toplevel;
in
{
  options.system.extraLinks = mkOption {
    type = types.attrsOf types.str;
    default = { };
    internal = true;
    description = "More entries of the toplevel: name -> link target.";
  };

  options.system.kernelParams = mkOption {
    type = types.listOf types.str;
    readOnly = true;
    description = "The kernel command line of the toplevel's kernel-params: boot.kernelParams, and root= when the root file system is not the default.";
  };

  config = {
    system.kernelParams = kernelParams;
    system.build.toplevel = checked;
    system.build.kernel = kernel;
  };
}
