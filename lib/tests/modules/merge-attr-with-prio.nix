# mergeAttrDefinitionsWithPrio reports the winning priority of each name.
{ lib, options, ... }:
{
  options.set = lib.mkOption { type = lib.types.attrsOf lib.types.int; };
  options.result = lib.mkOption {
    default = lib.mapAttrs (_: v: v.highestPrio) (lib.modules.mergeAttrDefinitionsWithPrio options.set);
  };
  imports = [
    { set.a = lib.mkDefault 1; }
    { set.a = 2; set.b = lib.mkForce 3; }
  ];
}
