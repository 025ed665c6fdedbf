{
  imports = [ [ ./declare-enable.nix ] ];
}
