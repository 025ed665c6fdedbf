{
  value = 1;
}
