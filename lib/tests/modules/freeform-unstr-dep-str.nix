# A freeform value reading a declared option: only lazyAttrsOf allows it.
{ lib, config, ... }:
{
  options.value = lib.mkOption { type = lib.types.str; };
  config.foo = config.value;
}
