{ lib, ... }:
{
  value = lib.mkForce 3;
}
