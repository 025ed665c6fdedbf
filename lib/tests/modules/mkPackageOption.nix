# mkPackageOption over a small fake package set.
{ lib, ... }:
let
  drv = name: { type = "derivation"; inherit name; pname = lib.getName name; outPath = "/nix/store/00000000000000000000000000000000-${name}"; };
  pkgs = {
    hello = drv "hello-2.12";
    python3Packages.requests = drv "requests-2.31";
    other.hello = drv "hello-other-1";
  };
in
{
  options = {
    package = lib.mkPackageOption pkgs "hello" { };
    namedPackage = lib.mkPackageOption pkgs "Hello" { default = [ "hello" ]; };
    nestedPackage = lib.mkPackageOption pkgs "requests" { default = [ "python3Packages" "requests" ]; };
    nullablePackage = lib.mkPackageOption pkgs "missing" { nullable = true; default = null; };
    undefinedPackage = lib.mkPackageOption pkgs "missing" { default = null; };
    withExample = lib.mkPackageOption pkgs "hello" { example = "pkgs.hello.override { }"; extraDescription = "Extra words."; };
    otherSet = lib.mkPackageOption pkgs.other "hello" { pkgsText = "pkgs.other"; };
  };
}
