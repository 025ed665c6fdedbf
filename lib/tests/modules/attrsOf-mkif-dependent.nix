# With lazyAttrsOf an attribute may read the option itself.
{ lib, config, ... }:
{
  options.lazy = lib.mkOption { type = lib.types.lazyAttrsOf lib.types.int; };
  config.lazy = {
    a = 1;
    b = config.lazy.a + 1;
  };
}
