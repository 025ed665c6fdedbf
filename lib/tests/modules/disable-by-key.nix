# disabledModules by key.
{ lib, ... }:
let
  moduleWithKey = {
    key = "disable-me";
    config.enable = true;
  };
in
{
  imports = [ ./declare-enable.nix moduleWithKey ];
  disabledModules = [ { key = "disable-me"; } ];
}
