{
  set = 1;
}
