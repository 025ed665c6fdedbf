{ lib, ... }:
{
  list = lib.mkOrder 400 [ "order400" ];
}
