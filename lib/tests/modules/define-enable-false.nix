{
  enable = false;
}
