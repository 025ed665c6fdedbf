{ lib, ... }:
{
  users.alice = {
    enable = true;
    groups = [ "audio" ];
  };
  users.bob = { name, ... }: {
    home = "/srv/${name}";
  };
}
