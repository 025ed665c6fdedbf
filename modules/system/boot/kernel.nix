# The kernel: which one (boot.kernelPackages), its command line and the
# modules PID 1 loads.
{ config, lib, pkgs, ... }:
with lib;
let
  os = import ../../../pkgs/os pkgs;
  host = config.nixpkgs.hostPlatform;
  defaultConsole = { "x86_64-linux" = "ttyS0"; "i686-linux" = "ttyS0"; "aarch64-linux" = "ttyAMA0"; }.${host};
in
{
  options.boot = {
    kernelPackages = mkOption {
      type = types.raw;
      default = os.linuxPackagesFor host;
      defaultText = literalExpression "the Debian kernel pinned for the platform in kernel/kernels.lock.json";
      description = ''
        The kernel: an attribute set whose `kernel` is a kernel tree (`bzImage` or
        `Image`, `lib/modules/<modDirVersion>/` with modules.dep) with the
        attributes `modDirVersion` and `imageFile`. The default is the Debian
        kernel that kernel/kernels.lock.json pins for the platform, imported as
        a fixed-output path.
      '';
    };

    kernelParams = mkOption {
      type = types.listOf (types.strMatching "[^[:space:]]+");
      default = [ ];
      example = [ "quiet" "console=ttyS1,9600" ];
      description = ''
        Parameters added to the kernel's command line. `init=` is added by the
        bootloader; `root=` is added when `fileSystems."/"` is not the default.
      '';
    };

    consoleLogLevel = mkOption {
      type = types.ints.between 0 8;
      default = 4;
      description = "The kernel's console log level (loglevel=): messages less severe than it are not printed on the console.";
    };

    serialConsole = mkOption {
      type = types.nullOr types.str;
      default = defaultConsole;
      defaultText = literalExpression ''"ttyS0" on x86, "ttyAMA0" on AArch64'';
      example = "ttyS1";
      description = ''
        The serial port that becomes the system console (console=<port>,115200,
        after console=tty0), or null to leave the console to the kernel's default.
      '';
    };

    kernelModules = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "virtio_net" "button" "evdev" ];
      description = ''
        Kernel modules (names or aliases) PID 1 loads at boot, with their
        dependencies, from the kernel's module tree. Frazil has no udev: modules
        for hardware outside the initrd must be listed here.
      '';
    };

    extraModulePackages = mkOption {
      type = types.listOf types.package;
      default = [ ];
      visible = false;
      description = "Not supported yet: out-of-tree modules.";
    };
  };

  config = {
    boot.kernelParams =
      optionals (config.boot.serialConsole != null) [ "console=tty0" "console=${config.boot.serialConsole},115200" ]
      ++ [ "loglevel=${toString config.boot.consoleLogLevel}" ];

    assertions = [{
      assertion = config.boot.extraModulePackages == [ ];
      message = "boot.extraModulePackages is not supported by Frazil yet.";
    }];
  };
}
