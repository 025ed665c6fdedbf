{
  enable = "yes";
}
