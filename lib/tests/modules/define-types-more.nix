# Second definitions, merged with define-types-ok.nix.
{
  boolByOr = true;
  attrs = { b = 2; };
  listOfInt = [ 3 ];
  attrsOfInt = { b = 2; };
  lazyAttrsOfInt = { b = 2; };
  nullOrInt = null;
  untyped = [ "y" ];
  unspecified = "v";
}
