# What `frazil option NAME` shows about NAME in an evaluated configuration:
#
#   import ./option-info.nix { lib; options; config; path = [ "users" "users" "alice" "uid" ]; }
#
# returns { name; kind = "option" | "set" | "missing"; … } with, for an
# option, its value (as Nix text and as JSON-safe data), type, description,
# default, example, where it is declared and where it is defined (file:line),
# and for an attribute set of options the names below it.
{ lib, options, config, path }:
let
  inherit (builtins) isAttrs isFunction isList length head tail elemAt attrNames filter concatMap tryEval;
  inherit (lib) isOption showOption;

  pretty = v:
    let r = tryEval (lib.generators.toPretty { } (lib.generators.withRecursion { depthLimit = 12; throwOnDepthLimit = false; } v));
    in if r.success then r.value else "«error»";

  # JSON-safe data: derivations become their paths, functions a marker.
  safe = depth: v:
    if lib.isDerivation v then v.outPath
    else if isFunction v then "<function>"
    else if depth > 12 then "..."
    else if isList v then map (safe (depth + 1)) v
    else if isAttrs v then lib.mapAttrs (_: safe (depth + 1)) (removeAttrs v [ "_module" ])
    else v;

  location = def:
    if def ? line && def.line != null then "${toString def.file}:${toString def.line}" else toString def.file;

  declLocations = opt:
    if opt ? declarationPositions && opt.declarationPositions != [ ]
    then map (p: if p.line or null != null then "${toString p.file}:${toString p.line}" else toString p.file) opt.declarationPositions
    else map toString (opt.declarations or [ ]);

  # Walks options along the path. Through an attribute-set-of-submodules
  # option one element of the path is a name: the option tree continues in
  # the type's sub-options, the value in config.
  walk = opts: cfg: rest: via:
    if rest == [ ] then { node = opts; value = cfg; inherit via; }
    else if isOption opts then
      let
        sub = opts.type.getSubOptions [ ];
        name = head rest;
        defined = filter (d: isAttrs d.value && d.value ? ${name}) (opts.definitionsWithLocations or [ ]);
        sel = c: n: if isAttrs c && c ? ${n} then c.${n} else null;
      in
      if sub == { } then { node = null; }
      # An attribute set of submodules: the next name picks an entry.
      else if namesEntries sub then walk sub (sel cfg name) (tail rest) (via ++ [{ inherit name; defs = defined; }])
      else walk sub cfg rest via
    else if isAttrs opts && opts ? ${head rest} then
      walk opts.${head rest} (if isAttrs cfg && cfg ? ${head rest} then cfg.${head rest} else null) (tail rest) via
    else { node = null; };

  # Whether sub-options sit below a name placeholder (<name>, *): their
  # loc starts with it.
  namesEntries = sub:
    let loc = firstLoc sub; in
    loc != null && loc != [ ] && builtins.match "<.*>|[*]" (head loc) != null;
  firstLoc = set:
    let
      found = filter (x: x != null) (map (n: if isOption set.${n} then set.${n}.loc or null else if isAttrs set.${n} then firstLoc set.${n} else null)
        (filter (n: builtins.substring 0 1 n != "_") (attrNames set)));
    in
    if found == [ ] then null else head found;

  found = walk options config path [ ];
  opt = found.node;
  value = tryEval found.value;
  name = showOption path;
  optionInfo = {
    inherit name;
    kind = "option";
    type = opt.type.description or "unspecified";
    description = opt.description or "";
    declarations = declLocations opt;
    # Inside an attribute set of submodules the definitions shown are those
    # of the named entry.
    definitions =
      if found.via != [ ] then lib.unique (concatMap (v: map location v.defs) found.via)
      else map location (opt.definitionsWithLocations or [ ]);
    readOnly = opt.readOnly or false;
    internal = opt.internal or false;
  }
  // (if opt ? defaultText then { default = if isAttrs opt.defaultText then opt.defaultText.text or (pretty opt.defaultText) else toString opt.defaultText; }
  else if opt ? default then { default = pretty opt.default; } else { })
  // (if opt ? example then { example = if isAttrs opt.example && opt.example ? _type then opt.example.text or "" else pretty opt.example; } else { })
  // (if value.success then { value = pretty value.value; valueJSON = safe 0 value.value; } else { valueError = true; });
in
if opt == null then { inherit name; kind = "missing"; }
else if isOption opt then optionInfo
else { inherit name; kind = "set"; children = filter (n: builtins.substring 0 1 n != "_") (attrNames opt); }
