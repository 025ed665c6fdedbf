# Evaluates a Frazil system configuration (like nixpkgs' nixos/lib/eval-config.nix):
#
#   import ./modules { configuration = ./configuration.nix; system = "aarch64-linux"; }
#
# returns { config, options, pkgs, toplevel, … }: the module system's result
# for the configuration plus every module of module-list.nix. `system` is the
# target platform; null means `nixpkgs.hostPlatform` from the configuration
# (default: builtins.currentSystem). `pkgs` defaults to Frazil's package set
# for that platform. Failed assertions and warnings are reported when the
# toplevel is evaluated.
{ configuration
, system ? null
, pkgs ? null
, extraModules ? [ ]
, specialArgs ? { }
}:
let
  lib = import ../lib;

  # The arguments' own module: the platform and the package set.
  argsModule = { config, ... }: {
    _file = toString ./default.nix;
    nixpkgs.hostPlatform = lib.mkIf (system != null) (lib.mkOverride 90 system);
    _module.args = {
      pkgs =
        if pkgs != null then pkgs
        else import ../pkgs
          { system = config.nixpkgs.hostPlatform; buildSystem = config.nixpkgs.buildPlatform; };
      utils = import ./utils.nix { inherit lib; };
    };
  };

  eval = lib.evalModules {
    modules = [ configuration argsModule ] ++ import ./module-list.nix ++ extraModules;
    specialArgs = { modulesPath = ./.; } // specialArgs;
    class = "nixos";
  };
in
eval // {
  inherit (eval.config._module.args) pkgs;
  toplevel = eval.config.system.build.toplevel;
}
