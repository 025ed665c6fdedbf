{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.boot;
in
{
  options.boot = {
    kernelPackages = mkOption { type = types.raw; default = { kernel = pkgs.linux; }; description = "The kernel package set."; };
    kernelParams = mkOption { type = types.listOf (types.strMatching ''([^"[:space:]]|"[^"]*")+''); default = [ ]; description = "Kernel command line parameters."; };
    kernelModules = mkOption { type = types.listOf types.str; default = [ ]; description = "Modules loaded in stage 2."; };
    blacklistedKernelModules = mkOption { type = types.listOf types.str; default = [ ]; description = "Modules never loaded."; };
    extraModprobeConfig = mkOption { type = types.lines; default = ""; description = "Extra modprobe.conf lines."; };
    consoleLogLevel = mkOption { type = types.int; default = 4; description = "Kernel console log level."; };
    tmp.cleanOnBoot = mkOption { type = types.bool; default = false; description = "Whether to clean /tmp at boot."; };
    initrd = {
      availableKernelModules = mkOption { type = types.listOf types.str; default = [ ]; description = "Modules available in the initrd."; };
      kernelModules = mkOption { type = types.listOf types.str; default = [ ]; description = "Modules loaded in the initrd."; };
      supportedFilesystems = mkOption { type = types.listOf types.str; default = [ ]; description = "File systems the initrd can mount."; };
      luks.devices = mkOption {
        type = types.attrsOf (types.submodule ({ name, ... }: {
          options.device = mkOption { type = types.str; description = "The encrypted device."; };
          options.name = mkOption { type = types.str; default = name; description = "The mapped name."; };
          options.allowDiscards = mkOption { type = types.bool; default = false; description = "Whether to allow TRIM."; };
        }));
        default = { };
        description = "Encrypted devices.";
      };
    };
  };
  config = {
    boot.kernelParams = [ "loglevel=${toString cfg.consoleLogLevel}" ];
    boot.initrd.availableKernelModules = [ "virtio_pci" "virtio_blk" "ext4" ];
    boot.initrd.kernelModules = mkIf (cfg.initrd.luks.devices != { }) [ "dm_crypt" ];
    environment.etc."modprobe.d/frazil.conf".text = concatMapStrings (m: "blacklist ${m}\n") cfg.blacklistedKernelModules + cfg.extraModprobeConfig;
    environment.etc."modules-load.d/frazil.conf".text = concatLines cfg.kernelModules;
    systemd.services.systemd-modules-load = {
      description = "Load kernel modules";
      wantedBy = [ "sysinit.target" ];
      restartTriggers = [ cfg.kernelModules ];
      serviceConfig.Type = "oneshot";
    };
  };
}
