# An argument with a default is still taken from _module.args.
{ lib, a ? false, ... }:
{
  options.result = lib.mkOption { default = a; };
  config._module.args.a = true;
}
