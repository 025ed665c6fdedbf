# Values of type optionType merge like declarations.
{ lib, config, ... }:
let
  inherit (lib) mkOption types;
in
{
  options.theType = mkOption { type = types.optionType; };
  options.theOption = mkOption { type = config.theType; };
  config = {
    theType = lib.mkMerge [
      (types.submodule { options.int = mkOption { type = types.int; default = 10; }; })
      (types.submodule { options.str = mkOption { type = types.str; }; })
    ];
    theOption.str = "hello";
  };
}
