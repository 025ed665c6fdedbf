{ lib, ... }:
{
  enable = lib.mkVMOverride true;
}
