# Options declared below a submodule option join the submodule.
{ lib, ... }:
{
  imports = [
    {
      options.single = lib.mkOption {
        type = lib.types.submodule { options.a = lib.mkOption { default = 1; }; };
        default = { };
      };
    }
    {
      options.single.b = lib.mkOption { default = 2; };
    }
  ];
}
