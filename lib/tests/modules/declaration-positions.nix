{ lib, ... }:
let
  inherit (lib) mkOption types;
in
{
  options.direct = mkOption {
    type = types.int;
    default = 1;
  };
  options.nested.inner = mkOption {
    default = 2;
  };
  options.generated = lib.genAttrs [ "gen" ] (_: mkOption { default = 3; });
  options.sub = mkOption {
    type = types.submodule {
      options.subOpt = mkOption {
        default = 4;
      };
    };
    default = { };
  };
}
