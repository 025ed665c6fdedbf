# `meta` in a structured module is config too.
{ lib, config, ... }:
{
  options.meta.maintainers = lib.mkOption { type = lib.types.listOf lib.types.str; default = [ ]; };
  options.result = lib.mkOption { default = lib.concatStringsSep " " config.meta.maintainers; };
  imports = [
    { meta.maintainers = [ "one" ]; }
    { meta.maintainers = [ "two" ]; config = { }; }
  ];
}
