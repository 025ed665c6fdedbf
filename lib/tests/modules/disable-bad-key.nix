{
  disabledModules = [ { config.enable = true; } ];
}
