{ lib, ... }:
{
  list = lib.mkAfter [ "after" ];
}
