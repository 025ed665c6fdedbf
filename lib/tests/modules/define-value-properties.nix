{ lib, ... }:
{
  value = lib.mkMerge [
    (lib.mkIf false "no")
    (lib.mkDefault "default")
    "yes"
  ];
}
