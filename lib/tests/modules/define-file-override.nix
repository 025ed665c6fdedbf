# _file names the module in messages.
{
  _file = "the-file.nix";
  value = "not an int";
}
