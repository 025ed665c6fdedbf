# Less common module helpers.
{ lib, config, options, ... }:
let
  inherit (lib) mkOption types;
in
{
  imports = [
    ./assertions.nix
    (lib.mkRenamedOptionModuleWith { sinceRelease = 2305; from = [ "oldName" ]; to = [ "newName" ]; })
    (lib.importApply ./import-apply.nix { greeting = "hi"; })
  ];
  options = {
    newName = mkOption { type = types.str; default = "default"; };
    sink = lib.mkSinkUndeclaredOptions { };
    base = mkOption { type = types.int; default = 1; };
    derived = mkOption { type = types.int; };
    sub = mkOption {
      type = types.submoduleWith { class = "nixos"; modules = [ { options.x = mkOption { default = 1; }; } ]; };
      default = { };
    };
  };
  config = {
    sink.anything.goes = [ 1 2 3 ];
    derived = lib.mkDerivedConfig options.base (x: x * 10);
  };
}
