{ lib, config, pkgs, ... }:
with lib;
{
  options.hardware = {
    firmware = mkOption { type = types.listOf types.package; default = [ ]; apply = unique; description = "Firmware packages."; };
    enableRedistributableFirmware = mkOption { type = types.bool; default = false; description = "Whether to include redistributable firmware."; };
    cpu.intel.updateMicrocode = mkOption { type = types.bool; default = false; description = "Whether to update Intel microcode."; };
    cpu.amd.updateMicrocode = mkOption { type = types.bool; default = false; description = "Whether to update AMD microcode."; };
  };
  config = mkMerge [
    (mkIf config.hardware.cpu.intel.updateMicrocode { boot.initrd.kernelModules = [ "microcode" ]; })
    (mkIf config.hardware.cpu.amd.updateMicrocode { boot.initrd.kernelModules = [ "microcode_amd" ]; })
    { boot.kernelParams = mkIf (config.hardware.firmware != [ ]) [ "firmware_class.path=/run/current-system/firmware" ]; }
  ];
}
