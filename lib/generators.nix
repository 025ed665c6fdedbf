# Rendering Nix values as text: pretty-printed Nix, key=value files, INI,
# JSON.
{ lib }:
let
  inherit (builtins)
    isInt isFloat isString isList isAttrs isPath isFunction concatStringsSep
    map length filter split elem mapAttrs addErrorContext;
  inherit (lib.strings) escape escapeNixIdentifier;
  inherit (lib.attrsets) mapAttrsToList;
in
rec {
  # The string form of a scalar for key=value formats.
  mkValueStringDefault = { }: v:
    if isInt v then toString v
    else if isString v then v
    else if true == v then "true"
    else if false == v then "false"
    else if v == null then "null"
    else if isFloat v then lib.strings.floatToString v
    else if lib.strings.isStringLike v then toString v
    else if isList v then throw "generators.mkValueStringDefault: lists are not supported: ${toPretty { } v}"
    else if isAttrs v then throw "generators.mkValueStringDefault: attrsets are not supported: ${toPretty { } v}"
    else if isFunction v then throw "generators.mkValueStringDefault: functions are not supported: ${toPretty { } v}"
    else throw "generators.mkValueStringDefault: this value is not supported: ${toPretty { } v}";

  # "key<sep>value", escaping sep in the key.
  mkKeyValueDefault = { mkValueString ? mkValueStringDefault { } }: sep: k: v:
    "${escape [ sep ] k}${sep}${mkValueString v}";

  # One "key=value" line per attribute.
  toKeyValue = { mkKeyValue ? mkKeyValueDefault { } "=", listsAsDuplicateKeys ? false, indent ? "" }:
    let
      line = k: v: "${indent}${mkKeyValue k v}\n";
      lines = k: v: if listsAsDuplicateKeys && isList v then map (line k) v else [ (line k v) ];
    in
    attrs: concatStringsSep "" (builtins.concatLists (mapAttrsToList lines attrs));

  # An INI file from a set of sections.
  toINI = { mkSectionName ? (name: escape [ "[" "]" ] name), mkKeyValue ? mkKeyValueDefault { } "=", listsAsDuplicateKeys ? false }:
    attrsOfAttrs:
    concatStringsSep "\n" (mapAttrsToList
      (sectName: sectValues:
        "[${mkSectionName sectName}]\n" + toKeyValue { inherit mkKeyValue listsAsDuplicateKeys; } sectValues)
      attrsOfAttrs);

  # An INI file with a leading section-less part.
  toINIWithGlobalSection = { mkSectionName ? (name: escape [ "[" "]" ] name), mkKeyValue ? mkKeyValueDefault { } "=", listsAsDuplicateKeys ? false }:
    { globalSection, sections ? { } }:
    (if globalSection == { } then "" else toKeyValue { inherit mkKeyValue listsAsDuplicateKeys; } globalSection + "\n")
    + toINI { inherit mkSectionName mkKeyValue listsAsDuplicateKeys; } sections;

  toJSON = { }: builtins.toJSON;
  # JSON is valid YAML.
  toYAML = { }: builtins.toJSON;

  # Limits the depth to which a value is evaluated: deeper values become
  # "<unevaluated>" (or throw, with throwOnDepthLimit).
  withRecursion = { depthLimit, throwOnDepthLimit ? true }:
    assert isInt depthLimit;
    let
      special = [ "__functor" "__functionArgs" "__toString" "__pretty" ];
      cut = depth: x:
        if depth > depthLimit then
          (if throwOnDepthLimit
           then throw "Exceeded maximum eval-depth limit of ${toString depthLimit} while trying to evaluate with `generators.withRecursion'!"
           else "<unevaluated>")
        else x;
      walk = depth: v:
        let next = x: walk (depth + 1) (cut (depth + 1) x);
        in
        if isAttrs v then mapAttrs (name: x: if elem name special then x else next x) v
        else if isList v then map next v
        else cut (depth + 1) v;
    in
    walk 0;

  # Nix-like source text for a value. With multiline (the default), lists
  # and sets put one element per line.
  toPretty = { allowPrettyValues ? false, multiline ? true, indent ? "" }:
    let
      go = indent: v:
        let
          introSpace = if multiline then "\n${indent}  " else " ";
          outroSpace = if multiline then "\n${indent}" else " ";
        in
        if isInt v then toString v
        else if isFloat v then toString v
        else if isString v then prettyString introSpace outroSpace v
        else if true == v then "true"
        else if false == v then "false"
        else if v == null then "null"
        else if isPath v then toString v
        else if isList v then
          if v == [ ] then "[ ]"
          else "[" + introSpace + concatStringsSep introSpace (map (go (indent + "  ")) v) + outroSpace + "]"
        else if isFunction v then
          let
            fna = lib.trivial.functionArgs v;
            shown = concatStringsSep ", " (mapAttrsToList (name: hasDefault: if hasDefault then name + "?" else name) fna);
          in
          if fna == { } then "<function>" else "<function, args: {${shown}}>"
        else if isAttrs v then
          if allowPrettyValues && v ? __pretty && v ? val then v.__pretty v.val
          else if v == { } then "{ }"
          else if v.type or null == "derivation" then "<derivation ${v.name or "???"}>"
          else
            "{" + introSpace
            + concatStringsSep introSpace (mapAttrsToList
              (name: value:
                "${escapeNixIdentifier name} = ${addErrorContext "while evaluating an attribute `${name}`" (go (indent + "  ") value)};")
              v)
            + outroSpace + "}"
        else abort "generators.toPretty: should never happen (v = ${builtins.typeOf v})";

      prettyString = introSpace: outroSpace: v:
        let
          lines = filter (x: !isList x) (split "\n" v);
          single = "\"" + concatStringsSep "\\n" (map (escape [ "\\" "\"" "\${" ]) lines) + "\"";
          escaped = map (builtins.replaceStrings [ "\${" "''" ] [ "''\${" "'''" ]) lines;
          lastLine = lib.lists.last escaped;
          multi = "''" + introSpace + concatStringsSep introSpace (lib.lists.init escaped)
            + (if lastLine == "" then outroSpace else introSpace + lastLine) + "''";
        in
        if multiline && length lines > 1 then multi else single;
    in
    go indent;
}
