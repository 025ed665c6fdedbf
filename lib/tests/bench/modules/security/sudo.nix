{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.security.sudo;
in
{
  options.security.sudo = {
    enable = mkOption { type = types.bool; default = true; description = "Whether to enable sudo."; };
    wheelNeedsPassword = mkOption { type = types.bool; default = true; description = "Whether wheel members need a password."; };
    extraRules = mkOption {
      type = types.listOf (types.submodule {
        options = {
          users = mkOption { type = with types; listOf (either str int); default = [ ]; description = "Users."; };
          groups = mkOption { type = with types; listOf (either str int); default = [ ]; description = "Groups."; };
          host = mkOption { type = types.str; default = "ALL"; description = "Host."; };
          runAs = mkOption { type = types.str; default = "ALL:ALL"; description = "Target user and group."; };
          commands = mkOption {
            type = with types; listOf (either str (submodule {
              options.command = mkOption { type = types.str; description = "Command."; };
              options.options = mkOption { type = types.listOf (types.enum [ "NOPASSWD" "PASSWD" "NOEXEC" "SETENV" ]); default = [ ]; description = "Tags."; };
            }));
            description = "Commands.";
          };
        };
      });
      default = [ ];
      description = "Rules.";
    };
    extraConfig = mkOption { type = types.lines; default = ""; description = "Extra sudoers lines."; };
  };
  config = mkIf cfg.enable {
    security.sudo.extraRules = mkBefore [ { groups = [ "wheel" ]; commands = [ { command = "ALL"; options = optional (!cfg.wheelNeedsPassword) "NOPASSWD"; } ]; } ];
    environment.etc.sudoers = {
      mode = "0440";
      text = "root ALL=(ALL:ALL) SETENV: ALL\n" + concatMapStrings (r:
        let
          who = map toString r.users ++ map (g: "%${toString g}") r.groups;
          cmds = concatMapStringsSep ", " (c: if isString c then c else concatMapStrings (o: "${o}: ") c.options + c.command) r.commands;
        in concatMapStrings (w: "${w} ${r.host}=(${r.runAs}) ${cmds}\n") who) cfg.extraRules + cfg.extraConfig;
    };
    environment.systemPackages = [ pkgs.sudo ];
  };
}
