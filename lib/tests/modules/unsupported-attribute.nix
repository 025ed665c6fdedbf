# A structured module may not also have config-like attributes.
{ lib, ... }:
{
  options.value = lib.mkOption { type = lib.types.int; };
  config.value = 1;
  enable = true;
}
