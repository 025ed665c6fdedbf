# functionTo merges the results of all definitions for the same argument.
{ lib, config, ... }:
let
  inherit (lib) mkOption types;
in
{
  options = {
    fun = mkOption { type = types.functionTo (types.listOf types.str); };
    attrsFun = mkOption { type = types.functionTo (types.attrsOf types.str); };
    badFun = mkOption { type = types.functionTo types.str; };
    result = mkOption { type = types.str; default = toString (config.fun { a = "a"; b = "b"; }); };
    attrsResult = mkOption { default = config.attrsFun "x"; };
    badResult = mkOption { default = config.badFun 1; };
  };
  config = {
    fun = lib.mkMerge [
      (input: lib.mkAfter [ input.a ])
      (input: [ input.b ])
    ];
    attrsFun = lib.mkMerge [
      (x: { a = x; })
      (x: { c = x + x; })
    ];
    badFun = x: x;
  };
}
