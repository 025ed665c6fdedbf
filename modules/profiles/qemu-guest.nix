# For systems that run under QEMU: the virtio network device and the ACPI
# power button (PID 1 powers off on it), loaded by PID 1.
{ config, lib, ... }:
{
  boot.kernelModules = [ "virtio_net" "virtio_console" "button" "evdev" ]
    ++ lib.optional (config.nixpkgs.hostPlatform != "aarch64-linux") "e1000";
}
