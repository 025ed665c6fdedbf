{
  disabledModules = [ ./define-enable.nix ];
}
