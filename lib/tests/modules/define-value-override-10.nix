{ lib, ... }:
{
  value = lib.mkOverride 10 10;
}
