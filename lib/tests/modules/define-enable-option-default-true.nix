{ lib, ... }:
{
  enable = lib.mkOptionDefault true;
}
