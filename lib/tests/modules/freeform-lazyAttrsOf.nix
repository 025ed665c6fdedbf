{ lib, ... }:
{
  freeformType = with lib.types; lazyAttrsOf (either str (attrsOf str));
}
