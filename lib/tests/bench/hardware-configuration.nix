{ lib, modulesPath, ... }:
{
  boot.initrd.availableKernelModules = [ "ahci" "xhci_pci" "virtio_scsi" "sd_mod" ];
  boot.initrd.luks.devices.cryptdata.device = "/dev/disk/by-uuid/3f2a";
  fileSystems."/" = { device = "/dev/disk/by-label/frazil-root"; fsType = "ext4"; neededForBoot = true; };
  fileSystems."/boot" = { label = "ESP"; fsType = "vfat"; options = [ "umask=0077" ]; };
  fileSystems."/srv" = { device = "/dev/mapper/cryptdata"; fsType = "xfs"; options = [ "noatime" ]; };
  swapDevices = [ { device = "/swapfile"; size = 2048; } ];
  hardware.enableRedistributableFirmware = lib.mkDefault true;
}
