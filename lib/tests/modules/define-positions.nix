{ lib, ... }:
{
  direct = 10;

  nested = lib.mkIf true {
    inner = lib.mkForce 20;
  };

  sub.subOpt = 40;
}
