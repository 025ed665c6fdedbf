{ lib, config, pkgs, ... }:
with lib;
let
  scriptType = types.either types.str (types.submodule {
    options.deps = mkOption { type = types.listOf types.str; default = [ ]; description = "Snippets that must run first."; };
    options.text = mkOption { type = types.lines; description = "The snippet."; };
  });
  normalise = mapAttrs (n: v: if isString v then { deps = [ ]; text = v; } else v) config.system.activationScripts;
  sorted = toposort (a: b: elem a.name b.value.deps) (mapAttrsToList nameValuePair normalise);
in
{
  options.system.activationScripts = mkOption {
    type = types.attrsOf scriptType;
    default = { };
    description = "Snippets run at activation.";
  };
  options.system.build.activationScript = mkOption { internal = true; type = types.str; description = "The activation script."; };
  config = {
    system.activationScripts = {
      specialfs = "mkdir -p /dev /proc /sys /run";
      users = { deps = [ "specialfs" ]; text = "frazil-activate users"; };
      groups = { deps = [ "specialfs" ]; text = "frazil-activate groups"; };
      etc = { deps = [ "users" "groups" ]; text = "frazil-activate etc"; };
      var = { deps = [ "etc" ]; text = "mkdir -p /var/lib /var/log"; };
    };
    system.build.activationScript = "#!/bin/sh\n" + concatMapStrings (e: "# ${e.name}\n${e.value.text}\n") sorted.result;
  };
}
