# The bootloader's settings: Frazil boots through GRUB (image/bootloader);
# these end up in boot.json ("org.frazil.bootloader.v1") and in the menu's
# saved options.
{ config, lib, ... }:
with lib;
let
  cfg = config.boot.loader;
  x86 = elem config.nixpkgs.hostPlatform [ "x86_64-linux" "i686-linux" ];
in
{
  options.boot.loader = {
    timeout = mkOption {
      type = types.nullOr types.ints.unsigned;
      default = 5;
      example = null;
      description = "Seconds the boot menu waits before booting the default entry; null waits for a key.";
    };

    grub = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "Whether the system boots through GRUB (the only bootloader Frazil installs so far).";
      };

      configurationLimit = mkOption {
        type = types.ints.positive;
        default = 100;
        example = 10;
        description = "The most generations the boot menu lists (newest first; the current one is always listed).";
      };

      efiSupport = mkOption {
        type = types.bool;
        default = true;
        description = "Whether to install GRUB for UEFI firmware (/EFI/BOOT/BOOT*.EFI on the ESP).";
      };

      device = mkOption {
        type = types.str;
        default = if x86 then "auto" else "nodev";
        defaultText = literalExpression ''"auto" on x86, "nodev" on AArch64'';
        example = "nodev";
        description = ''
          Where GRUB's BIOS boot code goes: "auto" is the disk the image is
          written to, "nodev" installs no BIOS boot code (UEFI only). BIOS boot
          exists on x86 only.
        '';
      };
    };

    settings = mkOption {
      type = types.attrs;
      readOnly = true;
      internal = true;
      description = "The bootloader settings written to boot.json.";
    };
  };

  config = {
    # The ESP of Frazil's disk images (image/), mounted by PID 1: the boot
    # menu that `frazil generations` and `frazil rebuild switch|boot`
    # rewrite on the device is there.
    fileSystems."/boot" = mkDefault { label = "FRAZIL-ESP"; fsType = "vfat"; options = [ "umask=0077" ]; };

    boot.loader.settings = {
      loader = "grub";
      inherit (cfg) timeout;
      inherit (cfg.grub) configurationLimit efiSupport;
      biosSupport = cfg.grub.device != "nodev";
      root = config.boot.initrd.stage1Config.root;
    };

    assertions = [
      { assertion = cfg.grub.enable; message = "boot.loader.grub.enable = false: Frazil has no other bootloader yet."; }
      { assertion = cfg.grub.efiSupport || cfg.grub.device != "nodev"; message = "boot.loader.grub: with efiSupport = false and device = \"nodev\" the system cannot boot."; }
      { assertion = x86 || cfg.grub.device == "nodev"; message = "boot.loader.grub.device: BIOS boot exists on x86 only; use \"nodev\" on ${config.nixpkgs.hostPlatform}."; }
    ];
  };
}
