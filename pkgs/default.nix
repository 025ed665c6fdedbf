# Frazil's package set.
#
#   import ./pkgs {}                              packages for this machine
#   import ./pkgs { system = "aarch64-linux"; }   the same, cross-compiled
#
# `system` is the target (the platform the packages run on); every
# derivation builds on `buildSystem` (this machine), and the tools used
# during builds (the Go toolchain, gosh) come from `buildPackages`, the
# set whose target is the build machine. docs/pkgs.md describes the set,
# the cross model and the lock file.
{ system ? builtins.currentSystem
, buildSystem ? builtins.currentSystem
, lockFile ? ./go.lock.json
, ...
}:
let
  platforms = import ./platforms.nix;
  platformOf = s: platforms.${s} or (throw "pkgs: unsupported system '${s}' (supported: ${toString (builtins.attrNames platforms)})");
  lock = builtins.fromJSON (builtins.readFile lockFile);

  self = {
    inherit system buildSystem lock;
    platform = platformOf system;
    buildPlatform = platformOf buildSystem;

    # The package set whose target is the build machine: tools that run
    # during builds come from here.
    buildPackages =
      if system == buildSystem then self
      else import ./. { system = buildSystem; inherit buildSystem lockFile; };
  }
  // import ./trivial-builders.nix self
  // import ./go self
  // import ./uroot.nix self
  // import ./frazil.nix self;
in
self
