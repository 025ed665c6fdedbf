# Definitions may depend on whether an option exists.
{ lib, options, ... }:
{
  config = lib.mkMerge [
    (lib.optionalAttrs (options ? enable) { enable = true; })
    (if options ? enable then { value = 360; } else { value = 7; })
  ];
}
