{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.boot.loader;
in
{
  options.boot.loader = {
    timeout = mkOption { type = types.nullOr types.int; default = 5; description = "Seconds until the default entry boots."; };
    grub = {
      enable = mkOption { type = types.bool; default = !cfg.systemd-boot.enable; description = "Whether to use GRUB."; };
      device = mkOption { type = types.str; default = ""; description = "The boot device."; };
      configurationLimit = mkOption { type = types.ints.positive; default = 100; description = "Generations in the menu."; };
      extraEntries = mkOption { type = types.lines; default = ""; description = "Extra menu entries."; };
    };
    systemd-boot = {
      enable = mkOption { type = types.bool; default = false; description = "Whether to use systemd-boot."; };
      configurationLimit = mkOption { type = types.nullOr types.ints.positive; default = null; description = "Generations in the menu."; };
      editor = mkOption { type = types.bool; default = true; description = "Whether to allow editing the kernel command line."; };
    };
    efi.canTouchEfiVariables = mkOption { type = types.bool; default = false; description = "Whether to change EFI variables."; };
  };
  config.assertions = [
    { assertion = !(cfg.grub.enable && cfg.systemd-boot.enable); message = "Only one boot loader can be enabled."; }
    { assertion = cfg.grub.enable -> cfg.grub.device != ""; message = "boot.loader.grub.device must be set."; }
  ];
}
