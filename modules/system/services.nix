# systemd.services, NixOS's service declarations, translated to Frazil's
# service specification (services.json; see init/supervisor): script and
# preStart become gosh scripts in the store, ExecStart is split into argv,
# Type, Restart, RestartSec, User, Group and WorkingDirectory are mapped,
# path becomes the PATH entries <p>/bin and <p>/sbin.
{ config, lib, options, pkgs, utils, ... }:
with lib;
let
  unitOption = types.oneOf [ types.bool types.int types.float types.str types.path (types.listOf (types.oneOf [ types.bool types.int types.str types.path ])) ];

  supported = [ "ExecStart" "ExecStartPre" "Type" "Restart" "RestartSec" "User" "Group" "WorkingDirectory" "StandardInput" "TTYPath" ];
  ttyInputs = [ "tty" "tty-force" "tty-fail" ];

  serviceConfigOptions = {
    freeformType = types.attrsOf unitOption;
    options = {
      ExecStart = mkOption {
        type = types.nullOr (types.either types.str (types.listOf types.str));
        default = null;
        example = "\${pkgs.hello}/bin/hello --port 80";
        description = "The command line of the service (split into words as systemd does).";
      };
      ExecStartPre = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "Commands run before ExecStart, in order; a failing one fails the start.";
      };
      Type = mkOption {
        type = types.enum [ "simple" "exec" "idle" "oneshot" "notify" "forking" "dbus" "notify-reload" ];
        default = "simple";
        description = ''
          simple, exec and idle: ready once started; oneshot: ready once exited 0;
          notify: ready when the service writes READY=1 to file descriptor 3
          (Frazil's readiness protocol, not sd_notify). forking, dbus and
          notify-reload are not supported.
        '';
      };
      Restart = mkOption {
        type = types.enum [ "no" "always" "on-failure" "on-abnormal" "on-abort" "on-watchdog" "on-success" ];
        default = "no";
        description = ''
          When the supervisor restarts the service: always, on-failure (also for
          on-abnormal, on-abort and on-watchdog) or no. on-success is not supported.
        '';
      };
      RestartSec = mkOption {
        type = types.nullOr (types.either types.number types.str);
        default = null;
        example = "500ms";
        description = "Delay before a restart (a systemd time span; the supervisor doubles it on repeated failures). Default 1 s.";
      };
      User = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "The user the service runs as (root by default).";
      };
      Group = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "The group the service runs as (the user's primary group by default).";
      };
      WorkingDirectory = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "The working directory (/ by default).";
      };
      StandardInput = mkOption {
        type = types.enum [ "null" "tty" "tty-force" "tty-fail" ];
        default = "null";
        description = ''
          null: the service's input is /dev/null (its output goes to its log);
          tty, tty-force and tty-fail: TTYPath becomes its standard input, output
          and controlling terminal, in a session of its own (a console shell),
          and its output is not logged.
        '';
      };
      TTYPath = mkOption {
        type = types.nullOr types.str;
        default = null;
        example = "/dev/ttyS0";
        description = "The terminal of StandardInput = \"tty\".";
      };
    };
  };

  serviceOptions = { name, config, ... }: {
    options = {
      enable = mkOption {
        type = types.bool;
        default = true;
        description = "Whether the service is part of the system.";
      };
      description = mkOption {
        type = types.singleLineStr;
        default = "";
        description = "What the service is, in a few words.";
      };
      wantedBy = mkOption {
        type = types.listOf types.str;
        default = [ ];
        example = [ "multi-user.target" ];
        description = "Units that start this one: multi-user.target (or default.target) starts it at boot.";
      };
      after = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "Services this one starts after (when they start at all). Targets are ignored.";
      };
      before = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "Services that start after this one.";
      };
      requires = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "Services this one needs: they are started too, and if they fail this one fails.";
      };
      wants = mkOption {
        type = types.listOf types.str;
        default = [ ];
        description = "Services started together with this one (their failure does not matter).";
      };
      environment = mkOption {
        type = types.attrsOf (types.nullOr (types.oneOf [ types.str types.path types.package ]));
        default = { };
        example = { LANG = "C.UTF-8"; };
        description = "Environment variables of the service (null unsets one).";
      };
      path = mkOption {
        type = types.listOf (types.oneOf [ types.package types.str ]);
        default = [ ];
        description = "Packages whose bin and sbin directories are put on the service's PATH.";
      };
      script = mkOption {
        type = types.lines;
        default = "";
        description = "Shell commands (gosh) run as the service, instead of serviceConfig.ExecStart.";
      };
      preStart = mkOption {
        type = types.lines;
        default = "";
        description = "Shell commands run before the service starts.";
      };
      serviceConfig = mkOption {
        type = types.submodule serviceConfigOptions;
        default = { };
        description = "The [Service] section: see the sub-options for what Frazil's supervisor implements.";
      };
      unitConfig = mkOption {
        type = types.attrsOf unitOption;
        default = { };
        description = "The [Unit] section (ignored by Frazil).";
      };
    };
  };

  enabled = filterAttrs (_: s: s.enable) config.systemd.services;

  storeName = s: replaceStrings [ "@" ":" ] [ "-" "-" ] s;
  shell = "${pkgs.uroot}/bin/gosh";
  makeScript = name: kind: text: pkgs.writeScript "unit-script-${storeName name}-${kind}" ''
    #!${shell}
    set -e
    ${text}
  '';

  execOf = name: s:
    let e = s.serviceConfig.ExecStart; in
    if s.script != "" then [ "${makeScript name "start" s.script}" ]
    else if e == null then [ ]
    else if isList e then (if e == [ ] then [ ] else utils.splitCommandLine (last e))
    else utils.splitCommandLine e;

  typeOf = t: { simple = "simple"; exec = "simple"; idle = "simple"; oneshot = "oneshot"; notify = "notify-ready"; }.${t} or null;
  restartOf = r: { no = "no"; always = "always"; on-failure = "on-failure"; on-abnormal = "on-failure"; on-abort = "on-failure"; on-watchdog = "on-failure"; }.${r} or null;

  deps = l: unique (map utils.serviceName (filter (u: !utils.isTarget u) l));
  wantedBy = l: unique (map (u: if u == "default.target" then "multi-user.target" else utils.serviceName u) l);
  # Services that name `name` in their before.
  before = name: attrNames (filterAttrs (_: t: elem name (deps t.before)) enabled);

  spec = name: s:
    let sc = s.serviceConfig; in
    {
      inherit name;
      exec = execOf name s;
      type = typeOf sc.Type;
      restart = restartOf sc.Restart;
      wantedBy = wantedBy s.wantedBy;
      after = unique (deps s.after ++ before name);
      requires = deps s.requires;
      wants = deps s.wants;
    }
    // optionalAttrs (s.description != "") { inherit (s) description; }
    // optionalAttrs (s.preStart != "" || sc.ExecStartPre != [ ]) {
      preStart = map utils.splitCommandLine sc.ExecStartPre
        ++ optional (s.preStart != "") [ "${makeScript name "pre-start" s.preStart}" ];
    }
    // optionalAttrs (filterAttrs (_: v: v != null) s.environment != { }) {
      environment = mapAttrs (_: toString) (filterAttrs (_: v: v != null) s.environment);
    }
    // optionalAttrs (s.path != [ ]) { path = map toString s.path; }
    // optionalAttrs (sc.User != null) { user = sc.User; }
    // optionalAttrs (sc.Group != null) { group = sc.Group; }
    // optionalAttrs (sc.WorkingDirectory != null) { workingDirectory = sc.WorkingDirectory; }
    // optionalAttrs (elem sc.StandardInput ttyInputs) { tty = sc.TTYPath; }
    // optionalAttrs (sc.RestartSec != null) { restartSec = utils.parseTimeSpan "systemd.services.${name}.serviceConfig.RestartSec" sc.RestartSec; };

  checks = name: s:
    let sc = s.serviceConfig; opt = "systemd.services.${name}"; at = utils.definedIn options.systemd.services name; in
    [
      { assertion = !(s.script != "" && sc.ExecStart != null); message = "${opt}${at}: both script and serviceConfig.ExecStart are set; use one."; }
      { assertion = s.script != "" || (sc.ExecStart != null && execOf name s != [ ]); message = "${opt}${at}: neither script nor serviceConfig.ExecStart is set."; }
      { assertion = !(isList sc.ExecStart && length sc.ExecStart > 1); message = "${opt}.serviceConfig.ExecStart${at}: Frazil runs one command per service; put several in script."; }
      { assertion = typeOf sc.Type != null; message = "${opt}.serviceConfig.Type = \"${sc.Type}\" is not supported${at} (use simple, oneshot or notify)."; }
      { assertion = restartOf sc.Restart != null; message = "${opt}.serviceConfig.Restart = \"${sc.Restart}\" is not supported${at} (use always, on-failure or no)."; }
      { assertion = !(elem sc.StandardInput ttyInputs) || sc.TTYPath != null; message = "${opt}.serviceConfig.StandardInput = \"${sc.StandardInput}\" needs serviceConfig.TTYPath${at}."; }
      { assertion = sc.User == null || config.users.users ? ${sc.User}; message = "${opt}.serviceConfig.User: the user \"${toString sc.User}\" is not defined in users.users${at}."; }
      { assertion = match "[^/[:space:]]+" name != null && name != "." && name != ".."; message = "${opt}${at}: the name must not contain / or white space."; }
    ];

  unsupported = name: s:
    map (k: "systemd.services.${name}.serviceConfig.${k} is not supported by Frazil's supervisor and is ignored.")
      (filter (k: !elem k supported && k != "_module") (attrNames s.serviceConfig));
in
{
  options = {
    systemd.services = mkOption {
      type = types.attrsOf (types.submodule serviceOptions);
      default = { };
      example = literalExpression ''
        {
          web = {
            description = "The web server";
            wantedBy = [ "multi-user.target" ];
            serviceConfig = { ExecStart = "''${pkgs.web}/bin/web -port 80"; Restart = "always"; User = "web"; };
          };
        }
      '';
      description = "Services the supervisor runs (a subset of NixOS's systemd.services; see docs/options.md).";
    };

    system.services = mkOption {
      type = types.listOf types.attrs;
      readOnly = true;
      internal = true;
      description = "The services of services.json, in name order.";
    };
  };

  config = {
    system.services = mapAttrsToList spec enabled;
    assertions = concatLists (mapAttrsToList checks enabled);
    warnings = concatLists (mapAttrsToList unsupported enabled);
  };
}
