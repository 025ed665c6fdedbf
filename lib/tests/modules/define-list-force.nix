{ lib, ... }:
{
  list = lib.mkForce [ "forced" ];
}
