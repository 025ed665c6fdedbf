{
  enable = abort "oops";
}
