# either merges with the first type that accepts all definitions.
{ lib, ... }:
{
  options.value = lib.mkOption {
    type = lib.types.either (lib.types.listOf lib.types.int) (lib.types.attrsOf lib.types.int);
  };
  imports = [
    { value = { a = 1; }; }
    { value = { b = 2; }; }
  ];
}
