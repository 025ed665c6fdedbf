# Two declarations of one enum option merge their values.
{ lib, ... }:
{
  imports = [
    { options.value = lib.mkOption { type = lib.types.enum [ "a" ]; }; }
    { options.value = lib.mkOption { type = lib.types.enum [ "b" ]; }; }
  ];
  value = "b";
}
