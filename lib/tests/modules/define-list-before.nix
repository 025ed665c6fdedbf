{ lib, ... }:
{
  list = lib.mkBefore [ "before" ];
}
