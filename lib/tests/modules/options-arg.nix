# Modules see the option records through `options`.
{ lib, options, config, ... }:
{
  imports = [ ./declare-enable.nix ./declare-value-int-default.nix ];
  options.result = lib.mkOption {
    default = {
      enableDefined = options.enable.isDefined;
      valueDefined = options.value.isDefined;
      valuePrio = options.value.highestPrio;
      valueLoc = options.value.loc;
      asString = "${options.value}";
    };
  };
}
