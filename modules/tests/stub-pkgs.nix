# A stand-in for Frazil's package set with the same interface and cheap
# derivations, for evaluating configurations without the real packages
# (which take minutes to build): every derivation's builder is a
# placeholder, so the result can be instantiated but not built.
{ system ? builtins.currentSystem, buildSystem ? builtins.currentSystem }:
let
  drv = name: attrs: derivation ({ inherit name; system = buildSystem; builder = "/stub/${name}"; } // attrs);
  self = rec {
    inherit system buildSystem;
    buildPackages = if system == buildSystem then self else import ./stub-pkgs.nix { system = buildSystem; inherit buildSystem; };
    runCommand = name: env: script: drv name (env // { inherit script; target = system; });
    writeTextFile = { name, text, executable ? false, destination ? "" }: runCommand name { inherit text executable destination; } "";
    writeText = name: text: writeTextFile { inherit name text; };
    writeScript = name: text: writeTextFile { inherit name text; executable = true; };
    writeScriptBin = name: text: writeTextFile { inherit name text; executable = true; destination = "/bin/${name}"; };
    buildEnv = { name, paths, ignoreCollisions ? false }: drv name { inherit paths; };
    symlinkJoin = { name, paths }: buildEnv { inherit name paths; };
    buildGoModule = { pname, version, src, subPackages, ... }: drv "${pname}-${version}" { inherit src subPackages; goarch = system; };
    frazilSrc = builtins.toFile "frazil-src" "stub";
    uroot = drv "u-root-stub" { goarch = system; };
    frazil = buildGoModule { pname = "frazil"; version = "stub"; src = frazilSrc; subPackages = [ "./cmd/frazil" ]; };
  };
in
self
