{
  imports = [ ../declare-enable.nix ];
}
