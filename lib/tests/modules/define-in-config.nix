# Declaring an option inside config is a common mistake.
{ lib, ... }:
{
  config.options.value = lib.mkOption { type = lib.types.int; };
}
