{
  services.size = 2;
  services.host = "web";
  services.domain = "example.org";
}
