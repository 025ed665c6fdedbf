# A declared option reading a freeform value.
{ lib, config, ... }:
{
  options.foo = lib.mkOption { default = config.value or null; };
}
