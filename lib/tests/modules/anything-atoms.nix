{ lib, ... }:
{
  options.value = lib.mkOption { type = lib.types.anything; };
  imports = [
    { value = 1; }
    { value = 2; }
  ];
}
