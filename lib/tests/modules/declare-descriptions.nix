# Types whose descriptions are checked.
{ lib, ... }:
let
  inherit (lib) mkOption types;
in
{
  options = {
    listOfNullOrStr = mkOption { type = types.listOf (types.nullOr types.str); };
    attrsOfSubmodule = mkOption { type = types.attrsOf (types.submodule { }); };
    nullOrPackage = mkOption { type = types.nullOr types.package; };
    listOfListOfInt = mkOption { type = types.listOf (types.listOf types.int); };
    eitherIntListOfStr = mkOption { type = types.either types.int (types.listOf types.str); };
    functionToStr = mkOption { type = types.functionTo types.str; };
    enumOne = mkOption { type = types.enum [ "only" ]; };
    enumNone = mkOption { type = types.enum [ ]; };
    lazyAttrsOfBool = mkOption { type = types.lazyAttrsOf types.bool; };
    coerced = mkOption { type = types.coercedTo types.int toString types.str; };
    nonEmptyListOfStr = mkOption { type = types.nonEmptyListOf types.str; };
    separated = mkOption { type = types.separatedString ", "; };
  };
}
