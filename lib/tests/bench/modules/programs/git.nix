{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.programs.git;
  gitIni = with types; attrsOf (attrsOf (oneOf [ bool int str ]));
in
{
  options.programs.git = {
    enable = mkEnableOption "git";
    package = mkPackageOption pkgs "git" { };
    config = mkOption { type = with types; either gitIni (listOf gitIni); default = [ ]; apply = x: if isList x then x else [ x ]; description = "System gitconfig."; };
    lfs.enable = mkEnableOption "git-lfs";
  };
  config = mkIf cfg.enable {
    environment.systemPackages = [ cfg.package ];
    environment.etc.gitconfig = mkIf (cfg.config != [ ]) {
      text = concatMapStrings (c: generators.toINI { } c) cfg.config;
    };
  };
}
