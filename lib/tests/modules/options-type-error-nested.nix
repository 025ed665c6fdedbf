{ lib, ... }:
{
  options.result.here = lib.types.str;
}
