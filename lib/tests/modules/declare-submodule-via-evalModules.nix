# The `type` of an evalModules result is a submodule type.
{ lib, ... }:
let
  inner = lib.evalModules {
    modules = [ { options.flag = lib.mkOption { type = lib.types.bool; default = true; }; } ];
  };
in
{
  options.sub = lib.mkOption { type = inner.type; default = { }; };
  config.sub.flag = false;
}
