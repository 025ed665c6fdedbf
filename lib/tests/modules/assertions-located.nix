# Assertions checked with their locations (lib.asserts.checkOptionAssertions).
{ lib, options, ... }:
{
  imports = [ ./assertions.nix ];
  options.locatedResult = lib.mkOption {
    default = lib.asserts.checkOptionAssertions options "ok";
  };
}
