{ lib, ... }:
{
  imports = [ ./declare-value-int.nix ./declare-enable.nix ];
  enable = true;
}
