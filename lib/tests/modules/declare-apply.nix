{ lib, ... }:
{
  options.value = lib.mkOption {
    type = lib.types.listOf lib.types.int;
    default = [ 3 1 2 ];
    apply = builtins.sort builtins.lessThan;
  };
}
