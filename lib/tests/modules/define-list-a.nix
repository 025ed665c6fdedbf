{
  list = [ "a" ];
}
