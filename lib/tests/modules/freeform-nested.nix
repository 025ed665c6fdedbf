# A declared option inside a freeform-typed namespace.
{ lib, ... }:
{
  options.nest.foo = lib.mkOption { type = lib.types.bool; default = false; };
  config.nest.bar = "bar";
}
