# A string is relative to modulesPath (this directory in the tests).
{
  disabledModules = [ "define-enable.nix" ];
}
