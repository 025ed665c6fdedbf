{
  list = [ "b" ];
}
