{
  disabledModules = [ ./foo.nix ];
}
