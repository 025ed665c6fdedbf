# The entry point of the module tests (as in nixpkgs' lib/tests/modules):
#   nix-instantiate --eval --strict --json -E 'import ./default.nix { modules = [ ./a.nix ]; }' -A config.x
{ lib ? import ../.., modules ? [ ] }:
{
  inherit (lib.evalModules {
    inherit modules;
    specialArgs.modulesPath = ./.;
  }) config options;
}
