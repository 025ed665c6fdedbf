# A module file that takes an argument first (lib.importApply).
{ greeting }:
{ lib, ... }:
{
  options.greeting = lib.mkOption { default = greeting; };
}
