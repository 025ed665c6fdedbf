# The system itself: config.system.build.toplevel, the store path a
# generation links to (see rootfs/toplevel and docs/architecture.md). Failed
# assertions stop the evaluation here, naming where they were defined.
{ config, lib, options, pkgs, ... }:
with lib;
let
  os = import ../../pkgs/os pkgs;
  kernel = config.boot.kernelPackages.kernel;
  # The image and only the modules PID 1 loads: boot.kernelModules and
  # what the filesystems' types need.
  systemKernel = os.makeSystemKernel {
    inherit kernel;
    modules = config.boot.kernelModules;
    fileSystems = lib.unique (lib.sort (a: b: a < b) (map (fs: fs.fsType) (attrValues config.fileSystems)));
  };
  root = config.boot.initrd.stage1Config.root;

  kernelParams = config.boot.kernelParams
    ++ optional (root != "LABEL=frazil-root") "root=${root}";

  name = "frazil-system-${if config.networking.hostName == "" then "unnamed" else config.networking.hostName}-${config.system.frazil.label}";

  toplevel = os.makeToplevel name {
    init = "${pkgs.frazil}/bin/frazil-init";
    kernel = "${systemKernel}/${kernel.imageFile}";
    kernelModules = "${systemKernel}/lib/modules";
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

  # Failed assertions, each with where it was defined when that was the
  # configuration rather than one of Frazil's modules (whose messages say
  # where the offending definition is themselves).
  ownFile = f: lib.hasPrefix (toString ./..) (toString f);
  located = concatMap
    (def: map (a: a // { where = if ownFile def.file then "" else " (defined in `${lib.options.showDefLocation def}')"; })
      (concatMap lib.modules.dischargeProperties (lib.toList def.value)))
    options.assertions.definitionsWithLocations;
  failed = filter (a: !a.assertion) located;
  checked =
    if failed != [ ]
    then throw "\nFailed assertions:\n${concatMapStringsSep "\n" (a: "- ${a.message}${a.where}") failed}"
    else lib.trivial.showWarnings config.warnings toplevel;
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
