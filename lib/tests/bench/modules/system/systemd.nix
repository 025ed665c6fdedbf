{ lib, config, pkgs, ... }:
with lib;
let
  cfg = config.systemd;

  unitOpts = { name, config, ... }: {
    options = {
      enable = mkOption { type = types.bool; default = true; description = "Whether the unit is installed."; };
      description = mkOption { type = types.singleLineStr; default = ""; description = "Description of the unit."; };
      wantedBy = mkOption { type = types.listOf types.str; default = [ ]; description = "Units that want this one."; };
      requiredBy = mkOption { type = types.listOf types.str; default = [ ]; description = "Units that require this one."; };
      wants = mkOption { type = types.listOf types.str; default = [ ]; description = "Units this one wants."; };
      requires = mkOption { type = types.listOf types.str; default = [ ]; description = "Units this one requires."; };
      after = mkOption { type = types.listOf types.str; default = [ ]; description = "Units this one starts after."; };
      before = mkOption { type = types.listOf types.str; default = [ ]; description = "Units this one starts before."; };
      unitConfig = mkOption { type = types.attrsOf (types.oneOf [ types.str types.int types.bool (types.listOf types.str) ]); default = { }; description = "[Unit] settings."; };
    };
  };

  serviceOpts = { name, config, ... }: {
    imports = [ unitOpts ];
    options = {
      environment = mkOption { type = with types; attrsOf (nullOr (oneOf [ str path package ])); default = { }; description = "Environment variables."; };
      path = mkOption { type = with types; listOf (oneOf [ package str ]); default = [ ]; description = "Packages added to PATH."; };
      serviceConfig = mkOption {
        type = types.submodule { freeformType = with types; attrsOf (oneOf [ str int bool (listOf str) ]); };
        default = { };
        description = "[Service] settings.";
      };
      script = mkOption { type = types.lines; default = ""; description = "Shell commands executed as the main process."; };
      preStart = mkOption { type = types.lines; default = ""; description = "Shell commands executed before the main process."; };
      postStart = mkOption { type = types.lines; default = ""; description = "Shell commands executed after the main process starts."; };
      reload = mkOption { type = types.lines; default = ""; description = "Shell commands executed on reload."; };
      restartIfChanged = mkOption { type = types.bool; default = true; description = "Whether to restart on change."; };
      restartTriggers = mkOption { type = types.listOf types.unspecified; default = [ ]; description = "Values whose change restarts the service."; };
      startAt = mkOption { type = with types; either str (listOf str); default = [ ]; description = "When to start the service (calendar events)."; };
    };
    config = mkMerge [
      { environment.PATH = concatMapStringsSep ":" (p: "${toString p}/bin") (config.path ++ [ pkgs.coreutils pkgs.gnugrep ]); }
      (mkIf (config.script != "") { serviceConfig.ExecStart = "${pkgs.writeText "${name}-start" config.script}"; })
      (mkIf (config.preStart != "") { serviceConfig.ExecStartPre = [ "${pkgs.writeText "${name}-pre-start" config.preStart}" ]; })
      { serviceConfig.Type = mkDefault "simple"; }
    ];
  };

  timerOpts = { name, ... }: {
    imports = [ unitOpts ];
    options.timerConfig = mkOption { type = types.attrsOf types.str; default = { }; description = "[Timer] settings."; };
  };

  render = section: attrs: "[${section}]\n" + concatStrings (mapAttrsToList (n: v:
    if isList v then concatMapStrings (x: "${n}=${x}\n") v else "${n}=${if v == true then "yes" else if v == false then "no" else toString v}\n") attrs);

  unitText = name: s: render "Unit" ({ Description = s.description; } // optionalAttrs (s.after != [ ]) { After = s.after; }
      // optionalAttrs (s.before != [ ]) { Before = s.before; } // optionalAttrs (s.requires != [ ]) { Requires = s.requires; }
      // optionalAttrs (s.wants != [ ]) { Wants = s.wants; } // s.unitConfig)
    + "\n" + render "Service" (s.serviceConfig // { Environment = mapAttrsToList (n: v: "${n}=${toString v}") (filterAttrs (_: v: v != null) s.environment); })
    + "\n" + render "Install" { WantedBy = s.wantedBy; };
in
{
  options.systemd = {
    services = mkOption { type = types.attrsOf (types.submodule serviceOpts); default = { }; description = "Services."; };
    timers = mkOption { type = types.attrsOf (types.submodule timerOpts); default = { }; description = "Timers."; };
    targets = mkOption { type = types.attrsOf (types.submodule unitOpts); default = { }; description = "Targets."; };
    globalEnvironment = mkOption { type = with types; attrsOf (nullOr (oneOf [ str path package ])); default = { }; description = "Environment of every service."; };
    packages = mkOption { type = types.listOf types.package; default = [ ]; description = "Packages providing units."; };
    defaultUnit = mkOption { type = types.str; default = "multi-user.target"; description = "The unit started at boot."; };
  };

  options.system.build.units = mkOption { internal = true; type = types.attrsOf types.str; description = "Unit files."; };

  config = {
    systemd.targets = genAttrs [ "multi-user" "network" "network-online" "network-pre" "sysinit" "timers" "getty" ] (n: { description = "${n} target"; });
    systemd.timers = mapAttrs (name: s: {
      wantedBy = [ "timers.target" ];
      timerConfig.OnCalendar = concatStringsSep " " (toList s.startAt);
    }) (filterAttrs (_: s: s.enable && s.startAt != [ ]) cfg.services);
    system.build.units =
      mapAttrs' (n: s: nameValuePair "${n}.service" (unitText n s)) (filterAttrs (_: s: s.enable) cfg.services)
      // mapAttrs' (n: t: nameValuePair "${n}.timer" (render "Unit" { Description = t.description; } + render "Timer" t.timerConfig)) cfg.timers
      // mapAttrs' (n: t: nameValuePair "${n}.target" (render "Unit" { Description = t.description; })) cfg.targets;
  };
}
