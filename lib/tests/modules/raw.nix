# types.raw does not look inside values and allows one definition.
{ lib, config, ... }:
{
  options.unprocessed = lib.mkOption { type = lib.types.raw; };
  options.multiple = lib.mkOption { type = lib.types.raw; };
  options.priorities = lib.mkOption { type = lib.types.raw; };
  config = {
    unprocessed = { inner = lib.mkIf false "kept as is"; };
    multiple = lib.mkMerge [ "foo" "bar" ];
    priorities = lib.mkMerge [ "bar" (lib.mkDefault "baz") ];
  };
}
