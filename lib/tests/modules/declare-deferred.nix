# A deferredModule option collects modules that are evaluated elsewhere.
{ lib, config, ... }:
let
  inherit (lib) mkOption types;
in
{
  options.defaults = mkOption { type = types.deferredModule; default = { }; };
  options.nodes = mkOption {
    type = types.attrsOf (types.submoduleWith { modules = [ config.defaults ]; });
    default = { };
  };
  options.nodeOptions = mkOption { type = types.deferredModule; };
  config = {
    nodeOptions.options.role = mkOption { type = types.str; default = "worker"; };
    defaults = { imports = [ config.nodeOptions ]; };
    nodes.a = { };
    nodes.b.role = "leader";
  };
}
