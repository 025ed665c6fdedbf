{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.services.logrotate;
  render = n: v: if v == true then n else if v == false then "no${n}" else "${n} ${toString v}";
in
{
  options.services.logrotate = {
    enable = mkOption { type = types.bool; default = true; description = "Whether to rotate logs."; };
    settings = mkOption {
      type = types.attrsOf (types.submodule ({ name, ... }: {
        freeformType = with types; attrsOf (nullOr (oneOf [ int bool str ]));
        options = {
          enable = mkOption { type = types.bool; default = true; description = "Whether this block is used."; };
          files = mkOption { type = with types; either str (listOf str); default = name; description = "The files."; };
          priority = mkOption { type = types.int; default = 1000; description = "Order in the file."; };
        };
      }));
      default = { };
      description = "logrotate.conf blocks.";
    };
  };
  config = mkIf cfg.enable {
    services.logrotate.settings.header = { global = true; priority = 100; frequency = "weekly"; rotate = 4; };
    services.logrotate.settings."/var/log/wtmp" = { frequency = mkDefault "monthly"; rotate = 1; create = "0664 root utmp"; };
    environment.etc."logrotate.conf".text = concatMapStrings (x:
      let s = x.value; body = concatStrings (mapAttrsToList (n: v: optionalString (v != null) "  ${render n v}\n") (removeAttrs s [ "enable" "files" "priority" "global" ]));
      in if s.global or false then body else "${concatStringsSep " " (toList s.files)} {\n${body}}\n")
      (sortOn (x: x.value.priority) (filter (x: x.value.enable) (attrsToList cfg.settings)));
    systemd.services.logrotate = {
      description = "Logrotate Service";
      startAt = "hourly";
      serviceConfig = { Type = "oneshot"; ExecStart = "${pkgs.logrotate}/bin/logrotate /etc/logrotate.conf"; };
    };
  };
}
