{ lib, ... }:
{
  options.set.enable = lib.mkEnableOption "the set";
}
