# Values of the wrong type, one per option.
{
  bool = 1;
  int = 1.5;
  unsigned = -1;
  positive = 0;
  between = -22;
  u8 = 256;
  u16 = -1;
  s8 = -129;
  port = 70000;
  float = 1;
  number = "1";
  numberBetween = 2;
  str = 1;
  nonEmptyStr = "   ";
  singleLineStr = "two\nlines";
  strMatching = "ABC";
  passwdEntry = "a:b";
  path = "relative/path";
  pathInStore = "/nix/store";
  package = "hello";
  attrs = [ ];
  listOfInt = [ 1 "two" ];
  nonEmptyList = [ ];
  attrsOfInt = { a = "x"; };
  nullOrInt = "x";
  enum = "c";
  either = [ ];
  oneOf = { };
  coerced = [ ];
}
