# Helpers of Frazil's modules, passed to them as the module argument `utils`
# (as NixOS passes its own utils).
{ lib }:
let
  inherit (builtins) match split filter isList isString isInt isFloat head tail length elemAt substring stringLength fromJSON;
  inherit (lib) concatMapStrings concatStringsSep foldl' hasSuffix removeSuffix;

  # The matched parts of `split re s` (lists of groups).
  matches = re: s: filter isList (split re s);

  # One word of a command line: quoted parts, escaped characters and plain
  # characters, with no white space outside quotes.
  wordRe = ''(("([^"\\]|\\.)*"|'[^']*'|\\.|[^[:space:]"'\\])+)'';
  # The parts of a word, for unquoting.
  partRe = ''"(([^"\\]|\\.)*)"|'([^']*)'|\\(.)|([^"'\\]+)'';

  unescape = s: concatMapStrings (m: if elemAt m 0 != null then elemAt m 0 else elemAt m 1) (matches ''\\(.)|([^\\]+)'' s);

  unquoteWord = w: concatMapStrings
    (m:
      if elemAt m 0 != null then unescape (elemAt m 0)
      else if elemAt m 2 != null then elemAt m 2
      else if elemAt m 3 != null then elemAt m 3
      else elemAt m 4)
    (matches partRe w);

  # Time span units of systemd.time(7), in seconds.
  units = {
    "" = 1; s = 1; sec = 1; second = 1; seconds = 1;
    us = 1.0e-6; usec = 1.0e-6; ms = 1.0e-3; msec = 1.0e-3;
    m = 60; min = 60; minute = 60; minutes = 60;
    h = 3600; hr = 3600; hour = 3600; hours = 3600;
    d = 86400; day = 86400; days = 86400;
  };

  toFloat = s: fromJSON (if substring 0 1 s == "." then "0" + s else s) * 1.0;
in
rec {
  # Splits a command line the way systemd splits ExecStart= (systemd.service(5)):
  # words separated by white space, "double" and 'single' quotes grouping,
  # backslash escaping the next character. A first word's prefixes - : + !
  # are dropped; with @ the second word is argv[0] and is dropped too, as
  # argv[0] cannot be set. Every word keeps the command line's string
  # context (builtins.split drops it), so that the derivations it names
  # stay inputs of whatever uses the words.
  splitCommandLine = cmd:
    let
      context = substring 0 0 cmd;
      words = map (m: context + unquoteWord (head m)) (matches wordRe cmd);
      first = if words == [ ] then "" else head words;
      prefix = head (match "([-:+!@]*).*" first);
      rest = substring (stringLength prefix) (stringLength first) first;
      hasAt = match ".*@.*" prefix != null;
    in
    if words == [ ] then [ ]
    else if hasAt then [ rest ] ++ (if length words > 2 then tail (tail words) else [ ])
    else [ rest ] ++ tail words;

  # A systemd time span ("5", "500ms", "1min 30s", 2, 1.5) in seconds, as a
  # float; throws naming `what` when it is not one.
  parseTimeSpan = what: v:
    if isInt v || isFloat v then v * 1.0
    else if !isString v then throw "${what}: ${builtins.typeOf v} is not a time span"
    else
      let
        parts = matches "([0-9]+[.]?[0-9]*|[.][0-9]+)[[:space:]]*([a-z]*)" v;
        valid = match "([[:space:]]*([0-9]+[.]?[0-9]*|[.][0-9]+)[[:space:]]*[a-z]*)+[[:space:]]*" v != null;
        unit = u: units.${u} or (throw "${what}: unknown time unit '${u}' in '${v}'");
      in
      if !valid then throw "${what}: '${v}' is not a time span such as 5s, 500ms or 1min 30s"
      else foldl' (acc: m: acc + toFloat (elemAt m 0) * unit (elemAt m 1)) 0.0 parts;

  # "sshd.service" -> "sshd"; other unit names unchanged.
  serviceName = u: removeSuffix ".service" u;

  # " (defined in `file:line')": where the entry `name` of an attribute-set
  # option (users.users, systemd.services, …) was defined, for messages.
  definedIn = opt: name:
    let
      defs = filter (d: builtins.isAttrs d.value && d.value ? ${name}) (opt.definitionsWithLocations or [ ]);
      locs = lib.unique (map (d: if d.line or null != null then "${toString d.file}:${toString d.line}" else toString d.file) defs);
    in
    if locs == [ ] then "" else " (defined in ${concatStringsSep " and " (map (l: "`${l}'") locs)})";

  # Whether a unit name is a target ("network.target").
  isTarget = u: hasSuffix ".target" u;
}
