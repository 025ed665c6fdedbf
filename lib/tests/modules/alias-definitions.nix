# mkAliasDefinitions copies the definitions of one option to another.
{ lib, options, ... }:
{
  options.source = lib.mkOption { type = lib.types.listOf lib.types.int; default = [ ]; };
  options.target = lib.mkOption { type = lib.types.listOf lib.types.int; default = [ 0 ]; };
  options.unsetSource = lib.mkOption { type = lib.types.int; };
  options.unsetTarget = lib.mkOption { type = lib.types.int; default = 5; };
  config = {
    source = [ 1 2 ];
    target = lib.mkAliasDefinitions options.source;
    unsetTarget = lib.mkAliasDefinitions options.unsetSource;
  };
}
