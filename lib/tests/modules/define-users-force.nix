# mkForce on the whole attribute set drops the other definitions of
# users entirely, including other users.
{ lib, ... }:
{
  users = lib.mkForce {
    erin.uid = 7;
  };
}
