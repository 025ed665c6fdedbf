{ lib, ... }:
{
  options.listeners = lib.mkOption {
    type = lib.types.listOf (lib.types.submodule {
      options.addr = lib.mkOption { type = lib.types.str; };
      options.port = lib.mkOption { type = lib.types.port; default = 80; };
    });
    default = [ ];
  };
  imports = [
    { listeners = [ { addr = "0.0.0.0"; } ]; }
    { listeners = [ { addr = "::"; port = 8080; } ]; }
  ];
}
