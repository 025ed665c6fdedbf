{
  disabledModules = [ ./bar.nix ];
}
