{ lib, ... }:
{
  options.value = lib.mkOption {
    type = lib.types.int;
    readOnly = true;
    default = 1;
  };
}
