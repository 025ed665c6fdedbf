{ lib, ... }:
{
  value = lib.mkForce 4;
}
