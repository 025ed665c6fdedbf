{
  imports = [ { _type = "flake"; outputs = { }; } ];
}
