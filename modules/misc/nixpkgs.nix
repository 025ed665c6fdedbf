# The platforms the system is built for and on.
{ lib, ... }:
with lib;
let
  systems = [ "x86_64-linux" "aarch64-linux" "i686-linux" ];
in
{
  options.nixpkgs = {
    hostPlatform = mkOption {
      type = types.enum systems;
      default = builtins.currentSystem;
      defaultText = literalExpression "builtins.currentSystem";
      example = "aarch64-linux";
      description = ''
        The platform the system runs on: the kernel, the initrd and every
        package are built for it. `frazil rebuild --system` overrides it.
      '';
    };

    buildPlatform = mkOption {
      type = types.enum systems;
      default = builtins.currentSystem;
      defaultText = literalExpression "builtins.currentSystem";
      description = ''
        The platform the system is built on. Packages for another host platform
        are cross-compiled (Go's GOARCH); derivations run here.
      '';
    };
  };
}
