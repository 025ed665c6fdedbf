# The system path (system.path, the toplevel's sw): one tree of symlinks
# into environment.systemPackages. sw/bin/sh is the shell /bin/sh links to.
{ config, lib, pkgs, ... }:
with lib;
let
  os = import ../../pkgs/os pkgs;
in
{
  options = {
    environment.systemPackages = mkOption {
      type = types.listOf types.package;
      default = [ ];
      example = literalExpression "[ pkgs.uroot ]";
      description = "Packages linked into the system path (/run/current-system/sw), besides bin/sh and frazil, which every system has.";
    };

    environment.defaultPackages = mkOption {
      type = types.listOf types.package;
      default = [ pkgs.uroot ];
      defaultText = literalExpression "[ pkgs.uroot ]";
      description = "Packages every system has: the u-root commands. Set to [ ] for none.";
    };

    environment.binsh = mkOption {
      type = types.package;
      default = os.binsh;
      defaultText = literalExpression "gosh from pkgs.uroot";
      description = "A package whose bin/sh becomes the system path's bin/sh, and so /bin/sh.";
    };

    system.path = mkOption {
      type = types.package;
      internal = true;
      readOnly = true;
      description = "The system path: a buildEnv of environment.systemPackages.";
    };
  };

  config = {
    # frazil is always there, as nix and nixos-rebuild are on NixOS: the
    # device-side CLI (services, logs, generations, rebuild, poweroff). PID 1
    # comes from the same package, so it costs the closure nothing.
    environment.systemPackages = [ config.environment.binsh pkgs.frazil ] ++ config.environment.defaultPackages;

    system.path = pkgs.buildEnv {
      name = "system-path";
      paths = unique config.environment.systemPackages;
    };
  };
}
