# Environment variables of login shells and services (environment.variables).
{ config, lib, ... }:
with lib;
{
  options.environment = {
    variables = mkOption {
      type = types.attrsOf (types.oneOf [ (types.listOf (types.oneOf [ types.int types.str types.path ])) types.int types.str types.path ]);
      default = { };
      example = { EDITOR = "vi"; GOPATH = [ "/srv/go" "/opt/go" ]; };
      apply = mapAttrs (n: v: if isList v then concatMapStringsSep ":" toString v else toString v);
      description = ''
        Environment variables set for login shells and services (activation.json's
        variables). A list is joined with ":".
      '';
    };

    sessionVariables = mkOption {
      type = types.attrsOf (types.oneOf [ types.str types.path ]);
      default = { };
      description = "Like environment.variables (NixOS's distinction does not apply: there is no PAM).";
    };
  };

  config.environment.variables = mapAttrs (_: v: mkDefault v) config.environment.sessionVariables;
}
