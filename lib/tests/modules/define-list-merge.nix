# mkMerge keeps the order of its contents; mkOrder works inside it.
{ lib, ... }:
{
  list = lib.mkMerge [
    [ "m1" ]
    (lib.mkAfter [ "m-after" ])
    [ "m2" ]
    (lib.mkIf true (lib.mkBefore [ "m-before" ]))
  ];
}
