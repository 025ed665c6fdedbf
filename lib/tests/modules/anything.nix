# types.anything: sets merge recursively, equal atoms merge, lists and
# differing atoms conflict, functions merge pointwise, mk* work inside.
{ lib, config, ... }:
{
  options.value = lib.mkOption { type = lib.types.anything; };
  options.applied = lib.mkOption { default = lib.mapAttrs (_: f: f { }) config.value.functions; };
  imports = [
    {
      value.nested.a = 1;
      value.equal = { int = 0; bool = false; str = ""; null = null; float = 0.1; };
      value.functions.merging = _: { x = null; };
      value.functions.conflicting = _: 1;
      value.mk.ifFalse = lib.mkIf false 1;
      value.mk.ifTrue = lib.mkIf true { };
      value.mk.default = lib.mkDefault 1;
      value.mk.merge = lib.mkMerge [ { } ];
      value.mk.nested = lib.mkMerge [ { foo = 1; } { bar.baz = "baz"; } ];
      value.coercible = { outPath = "foo"; };
      value.list = [ 1 ];
    }
    {
      value.nested.b = 2;
      value.nested.deeper.c = 3;
      value.equal = { int = 0; bool = false; str = ""; null = null; float = 0.1; };
      value.functions.merging = _: { y = null; };
      value.functions.conflicting = _: "one";
      value.mk.default = 2;
      value.mk.merge = { };
    }
  ];
}
