# Second definitions that cannot merge with define-types-ok.nix.
{
  bool = false;
  int = 6;
  str = "world";
  attrsOfInt = { a = 2; };
  nullOrInt = 3;
  enum = "b";
  either = 1;
  raw = 1;
  uniq = 1;
  unique = 2;
}
