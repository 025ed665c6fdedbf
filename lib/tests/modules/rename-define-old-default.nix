{ lib, ... }:
{
  services.old.port = lib.mkDefault 8081;
  services.new.port = 8082;
}
