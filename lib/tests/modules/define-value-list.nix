{
  value = [ ];
}
