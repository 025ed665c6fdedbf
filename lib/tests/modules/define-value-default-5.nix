{ lib, ... }:
{
  value = lib.mkDefault 5;
}
