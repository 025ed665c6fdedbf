{
  aliasPort = 9090;
}
