{
  set.unknown = 1;
  set.enable = true;
}
