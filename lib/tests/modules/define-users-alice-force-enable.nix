{ lib, ... }:
{
  users.alice.enable = lib.mkForce false;
}
