# OS-level derivations of a Frazil system: the kernel imported from Debian,
# the initrd, the etc tree, the toplevel and the SSH server. They take the
# package set whose target is the system's platform:
#
#   os = import ./pkgs/os pkgs;
#
# Tools that run during the build (frazil as the builder of the kernel tree,
# the initrd, the etc tree and the toplevel) come from pkgs.buildPackages.
pkgs:
let
  lib = import ../../lib;
  frazilBuilder = "${(pkgs.buildPackages or pkgs).frazil}/bin/frazil";
  buildSystem = pkgs.buildSystem or builtins.currentSystem;

  # A derivation whose builder is the build machine's frazil, given its
  # attributes as structured attributes (.attrs.json).
  frazilDerivation = name: args: attrs: derivation (attrs // {
    inherit name args;
    system = buildSystem;
    builder = frazilBuilder;
    __structuredAttrs = true;
    preferLocalBuild = true;
    allowSubstitutes = false;
  });

  kernels = import ./kernel.nix { inherit lib frazilBuilder buildSystem; };
in
rec {
  inherit (kernels) kernelLock linuxPackagesFor debianArch;

  # The kernel packages of the package set's platform.
  linuxPackages = linuxPackagesFor pkgs.system;

  # makeInitrd { kernel, modules, stage1, stage1Config, compression }: a
  # compressed cpio at $out/initrd holding stage1 as /init, the closure of
  # `modules` (names or aliases) and /etc/frazil/stage1.json.
  makeInitrd = { kernel, modules, stage1, stage1Config ? { }, compression ? "gzip" }:
    frazilDerivation "initrd-linux-${kernel.modDirVersion}" [ "initrd" "build" ] {
      stage1 = "${stage1}";
      modulesDir = "${kernel}/lib/modules/${kernel.modDirVersion}";
      inherit modules stage1Config compression;
    };

  # makeSystemKernel { kernel, modules, fileSystems }: what a system boots
  # of a kernel tree: $out/<imageFile> and $out/lib/modules/<version> with
  # only the closure of `modules` (boot.kernelModules) and of the modules
  # the filesystem types need. The full tree stays a build input only.
  makeSystemKernel = { kernel, modules, fileSystems }:
    frazilDerivation "linux-${kernel.modDirVersion}-system" [ "kernel" "system" ] {
      tree = "${kernel}";
      imageFile = kernel.imageFile;
      version = kernel.modDirVersion;
      inherit modules fileSystems;
    };

  # makeEtc entries: the etc tree ($out/etc) of environment.etc entries
  # ({ target, source, mode, user, group }).
  makeEtc = entries: frazilDerivation "etc" [ "etc" "build" ] { inherit entries; };

  # makeToplevel spec: the system's toplevel (see rootfs/toplevel).
  makeToplevel = name: spec: frazilDerivation name [ "toplevel" "build" ] spec;

  # bin/sh for the system path: the u-root shell.
  binsh = pkgs.runCommand "frazil-binsh" { } ''
    mkdir -p $out/bin
    ln -s ${pkgs.uroot}/bin/gosh $out/bin/sh
  '';

  # The SSH server of services.openssh (cmd/frazil-sshd).
  frazil-sshd = pkgs.buildGoModule {
    pname = "frazil-sshd";
    version = "0.1.0";
    src = pkgs.frazilSrc;
    subPackages = [ "./cmd/frazil-sshd" ];
  };
}
