# Frazil's version, the configuration's label and system.stateVersion.
{ config, lib, ... }:
with lib;
let
  cfg = config.system.frazil;
in
{
  options.system = {
    frazil.release = mkOption {
      type = types.str;
      readOnly = true;
      default = "0.1";
      description = "The Frazil release.";
    };

    frazil.versionSuffix = mkOption {
      type = types.str;
      default = "dev";
      description = "What distinguishes this build of the release (a revision, a date).";
    };

    frazil.version = mkOption {
      type = types.str;
      default = "${cfg.release}.${cfg.versionSuffix}";
      defaultText = literalExpression ''"''${release}.''${versionSuffix}"'';
      description = "The full version, written to the toplevel's `frazil-version`.";
    };

    frazil.label = mkOption {
      type = types.strMatching "[a-zA-Z0-9:_.-]*";
      default = concatStringsSep "-" (sort (x: y: x < y) cfg.tags ++ [ cfg.version ]);
      defaultText = literalExpression ''concatStringsSep "-" (sort lessThan tags ++ [ version ])'';
      example = "webserver-0.1.dev";
      description = ''
        The label of this configuration: the last part of the toplevel's name
        (`frazil-system-<hostName>-<label>`) and what boot menus show.
      '';
    };

    frazil.tags = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "with-sshd" ];
      description = "Words prepended to the label (sorted).";
    };

    stateVersion = mkOption {
      type = types.str;
      default = cfg.release;
      example = "0.1";
      description = ''
        The Frazil release whose defaults for stateful data (file formats,
        database layouts) this machine was first installed with. Set it once and
        leave it when upgrading.
      '';
    };
  };
}
