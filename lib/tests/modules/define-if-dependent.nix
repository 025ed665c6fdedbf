# A condition reading config (through another option) is fine.
{ lib, config, ... }:
{
  value = lib.mkIf config.enable 99;
}
