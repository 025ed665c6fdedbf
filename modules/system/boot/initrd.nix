# The initrd (system.build.initrd): Frazil's stage 1, the kernel modules it
# needs to find the root file system, and stage1.json.
{ config, lib, pkgs, ... }:
with lib;
let
  cfg = config.boot.initrd;
  os = import ../../../pkgs/os pkgs;
  host = config.nixpkgs.hostPlatform;
  root = config.fileSystems."/" or null;

  # Storage drivers common on the platform's virtual and real machines.
  defaultModules = {
    "x86_64-linux" = [ "virtio_pci" "virtio_blk" "virtio_scsi" "sd_mod" "ahci" "ata_piix" "nvme" ];
    "i686-linux" = [ "virtio_pci" "virtio_blk" "virtio_scsi" "sd_mod" "ahci" "ata_piix" "nvme" ];
    "aarch64-linux" = [ "virtio_pci" "virtio_mmio" "virtio_blk" "virtio_scsi" "sd_mod" "ahci" "nvme" ];
  }.${host};

  # What stage 1 understands: LABEL=…, UUID=… or a device path.
  rootSpec = fs:
    if fs.label != null then "LABEL=${fs.label}"
    else if hasPrefix "/dev/disk/by-label/" fs.device then "LABEL=${removePrefix "/dev/disk/by-label/" fs.device}"
    else if hasPrefix "/dev/disk/by-uuid/" fs.device then "UUID=${removePrefix "/dev/disk/by-uuid/" fs.device}"
    else fs.device;

  rootFsType = if root == null || root.fsType == "auto" then "ext4" else root.fsType;
  rootOptions = let o = filter (x: x != "defaults") (if root == null then [ ] else root.options); in
    if o == [ ] then "rw" else concatStringsSep "," o;
in
{
  options.boot.initrd = {
    availableKernelModules = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "sdhci_pci" "mmc_block" ];
      description = ''
        Kernel modules (names or aliases) to put in the initrd, with their
        dependencies. Frazil's stage 1 has no udev: it loads every module of the
        initrd, these and boot.initrd.kernelModules alike, in dependency order.
      '';
    };

    kernelModules = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "dm_mod" ];
      description = "Kernel modules stage 1 loads, with their dependencies.";
    };

    includeDefaultModules = mkOption {
      type = types.bool;
      default = true;
      description = ''
        Whether to add the storage drivers common on the platform (virtio,
        SCSI disks, AHCI, NVMe; IDE on x86) and the root file system's module
        to the initrd.
      '';
    };

    compressor = mkOption {
      type = types.enum [ "gzip" "zstd" "none" ];
      default = "gzip";
      description = "How the initrd's cpio archive is compressed.";
    };

    emergencyShell = mkOption {
      type = types.bool;
      default = false;
      description = ''
        Whether stage 1 opens a rescue prompt on the console when it fails to
        mount the root file system (instead of rebooting after 30 s). The kernel
        command line's frazil.shell does the same for one boot.
      '';
    };

    rootWaitSeconds = mkOption {
      type = types.ints.positive;
      default = 20;
      description = "How long stage 1 waits for the root device to appear.";
    };

    stage1Config = mkOption {
      type = types.attrs;
      readOnly = true;
      internal = true;
      description = "The fields of the initrd's /etc/frazil/stage1.json that the configuration sets.";
    };
  };

  options.boot.nixStoreMountOpts = mkOption {
    type = types.listOf types.nonEmptyStr;
    default = [ "ro" "nodev" "nosuid" ];
    description = "Options of the read-only bind mount of /nix/store that stage 1 makes.";
  };

  config = {
    boot.initrd.availableKernelModules = mkIf cfg.includeDefaultModules (defaultModules ++ [ rootFsType ]);

    boot.initrd.stage1Config = {
      root = if root == null then "LABEL=frazil-root" else rootSpec root;
      fsType = rootFsType;
      inherit rootOptions;
      rootWaitSeconds = cfg.rootWaitSeconds;
      storeMountOptions = config.boot.nixStoreMountOpts;
      emergencyShell = cfg.emergencyShell;
    };

    system.build.initrd = os.makeInitrd {
      inherit (config.boot.kernelPackages) kernel;
      modules = unique (cfg.availableKernelModules ++ cfg.kernelModules);
      stage1 = "${pkgs.frazil}/bin/frazil-stage1";
      stage1Config = cfg.stage1Config;
      compression = cfg.compressor;
    };
  };
}
