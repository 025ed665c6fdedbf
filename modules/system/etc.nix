# environment.etc: the files of /etc, built into the etc tree
# (system.build.etc) that activation links as /etc/static.
{ config, lib, pkgs, ... }:
with lib;
let
  os = import ../../pkgs/os pkgs;

  etcOptions = { name, config, ... }: {
    options = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "Whether this file is generated.";
      };
      target = mkOption {
        type = types.str;
        description = "Path relative to /etc (the attribute name by default).";
      };
      text = mkOption {
        type = types.nullOr types.lines;
        default = null;
        description = "The file's contents (instead of source).";
      };
      source = mkOption {
        type = types.path;
        description = "The file (or directory) linked as /etc/<target>.";
      };
      mode = mkOption {
        type = types.strMatching "symlink|direct-symlink|[0-7]{3,4}";
        default = "symlink";
        example = "0600";
        description = ''
          "symlink": /etc/<target> links to /etc/static/<target>; an octal mode:
          activation copies the file with that mode and owner instead;
          "direct-symlink": /etc/<target> links straight into the store.
        '';
      };
      uid = mkOption {
        type = types.ints.unsigned;
        default = 0;
        description = "Owner of a copied file (see mode).";
      };
      gid = mkOption {
        type = types.ints.unsigned;
        default = 0;
        description = "Group of a copied file (see mode).";
      };
      user = mkOption {
        type = types.str;
        default = "+${toString config.uid}";
        description = "Owner of a copied file by name (wins over uid).";
      };
      group = mkOption {
        type = types.str;
        default = "+${toString config.gid}";
        description = "Group of a copied file by name (wins over gid).";
      };
    };
    config = {
      target = mkDefault name;
      source = mkIf (config.text != null) (mkDefault (pkgs.writeText "etc-${baseNameOf config.target}" config.text));
    };
  };

  entries = filter (e: e.enable) (attrValues config.environment.etc);
in
{
  options = {
    environment.etc = mkOption {
      type = types.attrsOf (types.submodule etcOptions);
      default = { };
      example = literalExpression ''{ "motd".text = "Welcome\n"; "ssl/ca.pem".source = ./ca.pem; }'';
      description = "Files of /etc, by path.";
    };

    system.build = mkOption {
      type = types.lazyAttrsOf types.unspecified;
      default = { };
      internal = true;
      description = "Derivations the system is built from, and the system itself (toplevel).";
    };
  };

  config = {
    system.build.etc = os.makeEtc (map
      (e: {
        inherit (e) target mode user group;
        source = "${e.source}";
      })
      (sort (a: b: a.target < b.target) entries));

    environment.etc.os-release.text = ''
      NAME=Frazil
      ID=frazil
      VERSION="${config.system.frazil.version}"
      VERSION_ID="${config.system.frazil.release}"
      PRETTY_NAME="Frazil ${config.system.frazil.version}"
      BUILD_ID="${config.system.frazil.version}"
    '';
  };
}
