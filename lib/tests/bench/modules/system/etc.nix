{ lib, config, pkgs, ... }:
with lib;
let
  etcOpts = { name, config, ... }: {
    options = {
      enable = mkOption { type = types.bool; default = true; description = "Whether this file is created."; };
      target = mkOption { type = types.str; default = name; description = "Name of the file, relative to /etc."; };
      text = mkOption { type = types.nullOr types.lines; default = null; description = "Text of the file."; };
      source = mkOption { type = types.either types.path types.str; description = "Path of the source file."; };
      mode = mkOption { type = types.str; default = "symlink"; example = "0600"; description = "Mode of the file, or symlink."; };
      uid = mkOption { type = types.int; default = 0; description = "UID of the file."; };
      gid = mkOption { type = types.int; default = 0; description = "GID of the file."; };
      user = mkOption { type = types.str; default = "+${toString config.uid}"; description = "Owner of the file."; };
      group = mkOption { type = types.str; default = "+${toString config.gid}"; description = "Group of the file."; };
    };
    config.source = mkIf (config.text != null) (mkDerivedConfig' config.text (pkgs.writeText "etc-${baseNameOf name}"));
  };
  mkDerivedConfig' = text: f: mkDefault (f text);
in
{
  options.environment.etc = mkOption {
    type = types.attrsOf (types.submodule etcOpts);
    default = { };
    description = "Files in /etc.";
  };
  options.system.build.etcEntries = mkOption {
    type = types.listOf types.attrs;
    internal = true;
    description = "The entries of the /etc tree.";
  };
  config.system.build.etcEntries = map (f: {
    inherit (f) target mode user group;
    source = toString f.source;
  }) (filter (f: f.enable) (attrValues config.environment.etc));
}
