{ lib, ... }:
{
  options.enable = lib.mkEnableOption "the feature";
}
