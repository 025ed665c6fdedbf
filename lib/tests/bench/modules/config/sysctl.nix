{ lib, config, pkgs, ... }:
with lib;
let
  sysctlOption = mkOptionType {
    name = "sysctl option value";
    check = val: let checkType = x: isBool x || isString x || isInt x || x == null; in checkType val || (val._type or "" == "override" && checkType val.content);
    merge = loc: defs: mergeOneOption loc (filterOverrides defs);
  };
in
{
  options.boot.kernel.sysctl = mkOption {
    type = types.submodule { freeformType = types.attrsOf sysctlOption; };
    default = { };
    description = "Runtime kernel parameters.";
  };
  config.environment.etc."sysctl.d/60-frazil.conf".text = concatStrings (mapAttrsToList (n: v:
    optionalString (v != null) "${n}=${if v == false then "0" else if v == true then "1" else toString v}\n")
    config.boot.kernel.sysctl);
  config.boot.kernel.sysctl = {
    "kernel.panic" = mkDefault 10;
    "kernel.kptr_restrict" = mkDefault 1;
    "net.core.default_qdisc" = mkDefault "fq_codel";
  };
}
