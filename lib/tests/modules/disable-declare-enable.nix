{
  disabledModules = [ ./declare-enable.nix ];
}
