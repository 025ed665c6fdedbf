# lazyAttrsOf gives an attribute whose definitions vanish its type's empty
# value, or fails for types without one.
{ lib, ... }:
let
  inherit (lib) types mkOption mkIf;
in
{
  options = {
    int = mkOption { type = types.lazyAttrsOf types.int; };
    list = mkOption { type = types.lazyAttrsOf (types.listOf types.int); };
    nonEmptyList = mkOption { type = types.lazyAttrsOf (types.nonEmptyListOf types.int); };
    attrs = mkOption { type = types.lazyAttrsOf (types.attrsOf types.int); };
    null = mkOption { type = types.lazyAttrsOf (types.nullOr types.int); };
    submodule = mkOption { type = types.lazyAttrsOf (types.submodule { }); };
  };
  config = {
    int.a = mkIf false null;
    list.a = mkIf false null;
    nonEmptyList.a = mkIf false null;
    attrs.a = mkIf false null;
    null.a = mkIf false null;
    submodule.a = mkIf false null;
  };
}
