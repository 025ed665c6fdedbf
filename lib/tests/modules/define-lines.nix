{ lib, ... }:
{
  imports = [
    { text = "middle"; csv = "b"; searchPath = "/b"; dashed = "y"; }
    { text = lib.mkAfter "last"; csv = "c"; dashed = "z"; }
  ];
  text = lib.mkBefore "first";
  csv = "a";
  searchPath = lib.mkBefore "/a";
  dashed = "x";
}
