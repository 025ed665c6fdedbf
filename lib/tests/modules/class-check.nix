# Modules may declare the class of configuration they belong to.
{ lib, ... }:
let
  nixosModule = { _class = "nixos"; config = { }; };
  darwinModule = { _class = "darwin"; _file = "darwin.nix"; config = { }; };
  eval = modules: lib.evalModules { class = "nixos"; inherit modules; };
in
{
  options.ok = lib.mkOption { default = (eval [ nixosModule { } ]).class; };
  options.fail = lib.mkOption { default = (eval [ darwinModule ]).config; };
}
