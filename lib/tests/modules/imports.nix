# Imports may be paths, functions or sets, and nest.
{
  imports = [
    ./declare-enable.nix
    ({ lib, ... }: { imports = [ ./import-nested.nix ]; })
    { value = 3; }
  ];
}
