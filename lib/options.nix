# Option declarations, the basic merge functions, and how options,
# definitions and files are shown in messages.
{ lib }:
let
  inherit (builtins)
    isAttrs isList isString isBool isInt isFunction length head tail filter map
    concatStringsSep foldl' all match tryEval split;
  inherit (lib.strings) escapeNixString;
  inherit (lib.lists) take last;

  # The sentence every conflict error ends with.
  prioritySuggestion = ''
    Use `lib.mkForce value` or `lib.mkDefault value` to change the priority on any of these definitions.
  '';
in
rec {
  # Whether a value is an option declaration made by mkOption.
  isOption = lib.types.isType "option";

  # Declares an option. Every field is optional: default, defaultText,
  # example, description, relatedPackages, type, apply, internal, visible,
  # readOnly. Only the fields given are present in the result.
  mkOption =
    { default ? null
    , defaultText ? null
    , example ? null
    , description ? null
    , relatedPackages ? null
    , type ? null
    , apply ? null
    , internal ? null
    , visible ? null
    , readOnly ? null
    } @ attrs:
    attrs // { _type = "option"; };

  # A boolean option, default false: "Whether to enable <name>."
  mkEnableOption = name: mkOption {
    default = false;
    example = true;
    description = "Whether to enable ${name}.";
    type = lib.types.bool;
  };

  # A package option whose default is pkgs.<default> (a name or an
  # attribute path): mkPackageOption pkgs "hello" { }.
  mkPackageOption = pkgs: name:
    { nullable ? false, default ? name, example ? null, extraDescription ? "", pkgsText ? "pkgs" }:
    let
      name' = if isList name then last name else name;
      defaultPath = if isList default then default else [ default ];
      defaultText = concatStringsSep "." defaultPath;
      defaultValue = lib.attrsets.attrByPath defaultPath
        (throw "${defaultText} cannot be found in ${pkgsText}") pkgs;
      defaults =
        if default != null then {
          default = defaultValue;
          defaultText = literalExpression "${pkgsText}.${defaultText}";
        }
        else lib.attrsets.optionalAttrs nullable { default = null; };
    in
    mkOption (defaults // {
      description = "The ${name'} package to use." + (if extraDescription == "" then "" else " ") + extraDescription;
      type = (if nullable then lib.types.nullOr else (t: t)) lib.types.package;
    } // lib.attrsets.optionalAttrs (example != null) {
      example = literalExpression (if isList example then "${pkgsText}.${concatStringsSep "." example}" else example);
    });

  # Deprecated alias of mkPackageOption.
  mkPackageOptionMD = mkPackageOption;

  # An option that accepts and ignores anything (for removed subtrees).
  mkSinkUndeclaredOptions = attrs: mkOption ({
    internal = true;
    visible = false;
    default = false;
    description = "Sink for option definitions.";
    type = lib.types.mkOptionType { name = "sink"; check = _: true; merge = _: _: false; };
    apply = _: throw "Option value is not readable because the option is not declared.";
  } // attrs);

  ## Merge functions: loc -> [ { file; value; } ] -> value

  # Lists concatenate, sets merge with //, booleans or, strings
  # concatenate, equal integers merge, functions merge pointwise.
  mergeDefaultOption = loc: defs:
    let list = getValues defs;
    in
    if length list == 1 then head list
    else if all isFunction list then x: mergeDefaultOption loc (map (f: f x) list)
    else if all isList list then builtins.concatLists list
    else if all isAttrs list then foldl' lib.trivial.mergeAttrs { } list
    else if all isBool list then foldl' lib.trivial.or false list
    else if all isString list then lib.strings.concatStrings list
    else if all isInt list && all (x: x == head list) list then head list
    else throw "Cannot merge definitions of `${showOption loc}'. Definition values:${showDefs defs}";

  # Exactly one definition is allowed; `message` explains why.
  mergeUniqueOption = { message, merge ? loc: defs: (head defs).value }: loc: defs:
    if length defs == 1 then merge loc defs
    else
      assert length defs > 1;
      throw "The option `${showOption loc}' is defined multiple times while it's expected to be unique.\n${message}\nDefinition values:${showDefs defs}\n${prioritySuggestion}";

  mergeOneOption = mergeUniqueOption { message = ""; };

  # All definitions must be equal.
  mergeEqualOption = loc: defs:
    if defs == [ ] then abort "This case should never happen."
    else if tail defs == [ ] then (head defs).value
    else
      (foldl'
        (first: def:
          if def.value != first.value
          then throw "The option `${showOption loc}' has conflicting definition values:${showDefs [ first def ]}\n${prioritySuggestion}"
          else first)
        (head defs)
        (tail defs)).value;

  getValues = map (x: x.value);
  getFiles = map (x: x.file);

  ## Documentation values

  # A default or example shown as the given Nix expression text.
  literalExpression = text:
    if !isString text then throw "literalExpression expects a string."
    else { _type = "literalExpression"; inherit text; };

  # Deprecated alias of literalExpression.
  literalExample = literalExpression;

  # A default or example given as Markdown text.
  literalMD = text:
    if !isString text then throw "literalMD expects a string."
    else { _type = "literalMD"; inherit text; };

  # Descriptions are Markdown already; kept for old modules.
  mdDoc = x: x;

  # Replaces derivations inside an option value by literal text, for
  # documentation.
  scrubOptionValue = x:
    if lib.attrsets.isDerivation x then { type = "derivation"; drvPath = x.name; outPath = x.name; name = x.name; }
    else if isList x then map scrubOptionValue x
    else if isAttrs x then builtins.mapAttrs (_: scrubOptionValue) (removeAttrs x [ "_args" ])
    else x;

  # Flattens an options tree into the list the option documentation is made
  # of: [ { name; description; type; default?; example?; declarations; … } ].
  optionAttrSetToDocList = optionAttrSetToDocList' [ ];

  optionAttrSetToDocList' = _: options:
    builtins.concatMap
      (opt:
        let
          name = showOption opt.loc;
          visible = opt.visible or true;
          docOption = {
            loc = opt.loc;
            inherit name;
            description = opt.description or null;
            declarations = filter (x: x != unknownModule) opt.declarations;
            internal = opt.internal or false;
            visible = if opt ? visible && opt.visible == "shallow" then true else visible;
            readOnly = opt.readOnly or false;
            type = opt.type.description or "unspecified";
          }
          // lib.attrsets.optionalAttrs (opt ? example) { example = renderOptionValue opt.example; }
          // lib.attrsets.optionalAttrs (opt ? defaultText || opt ? default) {
            default = renderOptionValue (opt.defaultText or opt.default);
          }
          // lib.attrsets.optionalAttrs (opt ? relatedPackages && opt.relatedPackages != null) { inherit (opt) relatedPackages; };
          subOptions =
            let ss = opt.type.getSubOptions opt.loc;
            in if ss != { } then optionAttrSetToDocList' opt.loc ss else [ ];
          subOptionsVisible = docOption.visible && opt.visible or null != "shallow";
        in
        [ docOption ] ++ lib.lists.optionals subOptionsVisible subOptions)
      (lib.attrsets.collect isOption options);

  # A value as shown in documentation: literal texts stay, others are
  # pretty-printed as Nix.
  renderOptionValue = v:
    if v ? _type && v ? text then v
    else literalExpression (lib.generators.toPretty { multiline = true; allowPrettyValues = true; } v);

  ## Showing options, files and definitions

  # An option path as users write it: "services.foo.\"bar.baz\".enable".
  # Placeholders (<name>, *, <function body>, [definition …]) stay bare.
  showOption = parts:
    let
      escape = part:
        if match "[a-zA-Z_][a-zA-Z0-9_'-]*" part != null
          || part == "<name>" || part == "*" || part == "<function body>"
          || match "\\[definition [0-9]+-entry [0-9]+]" part != null
        then part
        else escapeNixString part;
    in
    concatStringsSep "." (map escape parts);

  # "`f1' and `f2'".
  showFiles = files: concatStringsSep " and " (map (f: "`${f}'") files);

  # A definition's location: "file:line" when its line is known.
  showDefLocation = def:
    if def.line or null != null then "${def.file}:${toString def.line}" else def.file;

  # The "Definition values:" list of an error message: every definition's
  # location and value (values that fail to evaluate are left out; long ones
  # are cut after five lines).
  showDefs = defs: lib.strings.concatMapStrings
    (def:
      let
        pretty = tryEval (lib.generators.toPretty { } (previewValue def.value));
        lines = filter (v: !isList v) (split "\n" pretty.value);
        value = concatStringsSep "\n    " (take 5 lines ++ lib.lists.optional (length lines > 5) "...");
        shown =
          if !pretty.success then ""
          else if length lines > 1 then ":\n    " + value
          else ": " + value;
      in
      "\n- In `${showDefLocation def}'${shown}")
    defs;

  # The part of a value that its first five pretty-printed lines can show:
  # at most five elements of each list or set, six levels deep. It prints
  # the same first lines as the whole value, at a bounded cost (a definition
  # may be a whole package set).
  previewValue =
    let
      go = depth: v:
        if depth > 6 then "<unevaluated>"
        else if isList v then map (go (depth + 1)) (take 5 v)
        else if isAttrs v && !(lib.attrsets.isDerivation v) then
          builtins.listToAttrs (map (n: { name = n; value = go (depth + 1) v.${n}; }) (take 5 (builtins.attrNames v)))
        else v;
    in
    go 0;

  # The file name of definitions and declarations with no known file.
  unknownModule = "<unknown-file>";
}
