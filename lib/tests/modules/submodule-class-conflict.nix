{ lib, ... }:
{
  options.sub = lib.mkOption {
    type = lib.types.submoduleWith { class = "darwin"; modules = [ ]; };
  };
}
