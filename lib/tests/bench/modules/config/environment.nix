{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.environment;
in
{
  options.environment = {
    systemPackages = mkOption { type = types.listOf types.package; default = [ ]; description = "Packages in the system profile."; };
    defaultPackages = mkOption { type = types.listOf types.package; default = with pkgs; [ less rsync ]; description = "Default packages."; };
    variables = mkOption {
      type = with types; attrsOf (oneOf [ (listOf (oneOf [ int str path ])) int str path ]);
      default = { };
      apply = mapAttrs (n: v: if isList v then concatMapStringsSep ":" toString v else toString v);
      description = "Global environment variables.";
    };
    shellAliases = mkOption { type = with types; attrsOf (nullOr (either str path)); default = { }; description = "Shell aliases."; };
    pathsToLink = mkOption { type = types.listOf types.str; default = [ ]; description = "Profile directories to link."; };
    extraInit = mkOption { type = types.lines; default = ""; description = "Shell initialisation."; };
    profileRelativeSessionVariables = mkOption { type = types.attrsOf (types.listOf types.str); default = { }; description = "Variables set relative to each profile."; };
  };
  config = {
    environment.systemPackages = with pkgs; [ coreutils util-linux gnugrep gnused findutils bash shadow kmod ] ++ cfg.defaultPackages;
    environment.pathsToLink = [ "/bin" "/etc/xdg" "/share/doc" "/share/man" "/share/info" ];
    environment.variables = {
      EDITOR = mkDefault "vi";
      PAGER = mkDefault "less";
      PATH = [ "/run/wrappers/bin" "/run/current-system/sw/bin" ];
    };
    environment.profileRelativeSessionVariables = {
      PATH = [ "/bin" ];
      MANPATH = [ "/share/man" ];
      INFOPATH = [ "/share/info" ];
    };
    environment.etc.profile.text = concatStrings (mapAttrsToList (n: v: "export ${n}=${escapeShellArg v}\n") cfg.variables)
      + concatStrings (mapAttrsToList (n: v: "alias ${n}=${escapeShellArg v}\n") (filterAttrs (_: v: v != null) cfg.shellAliases))
      + cfg.extraInit;
  };
}
