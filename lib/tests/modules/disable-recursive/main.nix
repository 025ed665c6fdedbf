# enable is declared by both foo.nix and bar.nix (the same file, imported
# twice): disabling one keeps it, disabling both removes it.
{
  imports = [ ./foo.nix ./bar.nix ];
  enable = true;
}
