# Elements may be conditional.
{ lib, ... }:
{
  list = [ "keep" (lib.mkIf false "drop") (lib.mkIf true "also") ];
}
