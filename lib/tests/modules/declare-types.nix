# One option per type, for check and merge tests; values come from
# define-types-*.nix or inline modules.
{ lib, ... }:
let
  inherit (lib) mkOption types;
in
{
  options = {
    bool = mkOption { type = types.bool; };
    boolByOr = mkOption { type = types.boolByOr; };
    int = mkOption { type = types.int; };
    unsigned = mkOption { type = types.ints.unsigned; };
    positive = mkOption { type = types.ints.positive; };
    between = mkOption { type = types.ints.between (-21) 43; };
    u8 = mkOption { type = types.ints.u8; };
    u16 = mkOption { type = types.ints.u16; };
    u32 = mkOption { type = types.ints.u32; };
    s8 = mkOption { type = types.ints.s8; };
    s16 = mkOption { type = types.ints.s16; };
    s32 = mkOption { type = types.ints.s32; };
    port = mkOption { type = types.port; };
    float = mkOption { type = types.float; };
    number = mkOption { type = types.number; };
    numberBetween = mkOption { type = types.numbers.between 0 1; };
    str = mkOption { type = types.str; };
    nonEmptyStr = mkOption { type = types.nonEmptyStr; };
    singleLineStr = mkOption { type = types.singleLineStr; };
    strMatching = mkOption { type = types.strMatching "[a-z]+"; };
    passwdEntry = mkOption { type = types.passwdEntry types.str; };
    path = mkOption { type = types.path; };
    pathInStore = mkOption { type = types.pathInStore; };
    package = mkOption { type = types.package; };
    attrs = mkOption { type = types.attrs; };
    listOfInt = mkOption { type = types.listOf types.int; };
    nonEmptyList = mkOption { type = types.nonEmptyListOf types.int; };
    attrsOfInt = mkOption { type = types.attrsOf types.int; };
    lazyAttrsOfInt = mkOption { type = types.lazyAttrsOf types.int; };
    nullOrInt = mkOption { type = types.nullOr types.int; };
    enum = mkOption { type = types.enum [ "a" "b" 3 true ]; };
    either = mkOption { type = types.either types.int types.str; };
    oneOf = mkOption { type = types.oneOf [ types.int types.str (types.listOf types.int) ]; };
    raw = mkOption { type = types.raw; };
    uniq = mkOption { type = types.uniq types.int; };
    unique = mkOption { type = types.unique { message = "Only one module may set it."; } types.int; };
    coerced = mkOption { type = types.coercedTo types.int toString types.str; };
    untyped = mkOption { };
    unspecified = mkOption { type = types.unspecified; };
  };
}
