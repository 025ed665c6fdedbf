{
  services.old.port = 8080;
}
