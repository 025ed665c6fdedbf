{ lib, ... }:
let
  conf = lib.evalModules { modules = [ ]; };
in
{
  imports = [ conf ];
}
