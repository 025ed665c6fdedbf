# The same file imported twice is loaded once (its key is its path).
{
  imports = [ ./declare-value-int-default.nix ./declare-value-int-default.nix ];
}
