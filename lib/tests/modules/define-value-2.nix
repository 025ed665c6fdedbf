{
  value = 2;
}
