# mkAliasOptionModule keeps the priority of aliased definitions.
{ lib, ... }:
{
  imports = [ (lib.mkAliasOptionModule [ "enableAlias" ] [ "enable" ]) ./declare-enable.nix ];
  enableAlias = lib.mkDefault true;
}
