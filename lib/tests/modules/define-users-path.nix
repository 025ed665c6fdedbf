{
  users.carol = ./user-carol.nix;
}
