# mkMerge and mkIf nest; only the true branch defines.
{ lib, ... }:
{
  value = lib.mkMerge [
    (lib.mkIf false 1)
    (lib.mkIf true (lib.mkIf true 9))
  ];
}
