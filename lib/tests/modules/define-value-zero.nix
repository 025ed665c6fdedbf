{
  value = 0;
}
