# Functions on strings.
{ lib }:
let
  inherit (builtins)
    concatStringsSep stringLength substring replaceStrings match split filter
    isString isList isPath isInt elemAt head length genList fromJSON toJSON typeOf
    elem map compareVersions parseDrvName unsafeDiscardStringContext storeDir
    listToAttrs;

  hexDigits = [ "0" "1" "2" "3" "4" "5" "6" "7" "8" "9" "a" "b" "c" "d" "e" "f" ];
  hex2 = i: elemAt hexDigits (i / 16) + elemAt hexDigits (i - 16 * (i / 16));

  # Every ASCII character except NUL, by code; built from JSON \u escapes.
  asciiChars = genList (i: fromJSON "\"\\u00${hex2 (i + 1)}\"") 127;
  asciiCodes = listToAttrs (genList (i: { name = elemAt asciiChars i; value = i + 1; }) 127);
in
rec {
  inherit (builtins)
    concatStringsSep stringLength substring replaceStrings match split
    compareVersions parseDrvName unsafeDiscardStringContext splitVersion
    isString toJSON fromJSON;

  concatStrings = concatStringsSep "";

  concatMapStrings = f: list: concatStrings (map f list);

  # concatMapStrings with the index of each element, from 1.
  concatImapStrings = f: list: concatStrings (lib.lists.imap1 f list);

  # Puts separator between the elements of a list.
  intersperse = separator: list:
    if list == [ ] || length list == 1 then list
    else builtins.tail (builtins.concatMap (x: [ separator x ]) list);

  concatMapStringsSep = sep: f: list: concatStringsSep sep (map f list);

  concatImapStringsSep = sep: f: list: concatStringsSep sep (lib.lists.imap1 f list);

  # Every string followed by a newline.
  concatLines = concatMapStrings (s: s + "\n");

  # s repeated n times.
  replicate = n: s: concatStrings (lib.lists.replicate n s);

  # Removes leading and/or trailing whitespace (space, tab, CR, LF).
  trimWith = { start ? false, end ? false }: s:
    let
      regex =
        if start && end then "[[:space:]]*(.*[^[:space:]])[[:space:]]*"
        else if start then "[[:space:]]*(.*)"
        else if end then "(.*[^[:space:]])[[:space:]]*"
        else "(.*)";
      m = match regex s;
    in
    if m == null then "" else head m;

  trim = trimWith { start = true; end = true; };

  # "p1/subDir:p2/subDir:…", skipping nulls.
  makeSearchPath = subDir: paths:
    concatStringsSep ":" (map (path: path + "/" + subDir) (filter (x: x != null) paths));

  # makeSearchPath over the given output of each package.
  makeSearchPathOutput = output: subDir: pkgs: makeSearchPath subDir (map (lib.attrsets.getOutput output) pkgs);

  makeLibraryPath = makeSearchPathOutput "lib" "lib";
  makeIncludePath = makeSearchPathOutput "dev" "include";
  makeBinPath = makeSearchPathOutput "bin" "bin";

  # Collapses runs of slashes: "/a//b///c" -> "/a/b/c".
  normalizePath = s:
    concatStrings (map (x: if isList x then "/" else x) (split "/+" s));

  optionalString = cond: string: if cond then string else "";

  hasPrefix = pref: str: substring 0 (stringLength pref) str == pref;

  hasSuffix = suffix: content:
    let lc = stringLength content; ls = stringLength suffix;
    in lc >= ls && substring (lc - ls) lc content == suffix;

  # Whether infix occurs in content.
  hasInfix = infix: content: length (split (escapeRegex infix) content) > 1;

  stringToCharacters = s: genList (p: substring p 1 s) (stringLength s);

  # Maps every character of s and concatenates the results.
  stringAsChars = f: s: concatMapStrings f (stringToCharacters s);

  # The ASCII code of a one-character string.
  charToInt = c: asciiCodes.${c} or (throw "charToInt: ${escapeNixString c} is not an ASCII character");

  # Backslash-escapes every occurrence of the given characters.
  escape = list: replaceStrings list (map (c: "\\${c}") list);

  # Escapes the given characters as C-style \xNN.
  escapeC = list: replaceStrings list (map (c: "\\x${hex2 (charToInt c)}") list);

  # Percent-encodes everything but RFC 3986 unreserved characters.
  escapeURL =
    let
      unreserved = stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";
      toEscape = filter (c: !(elem c unreserved)) asciiChars;
    in
    replaceStrings toEscape (map (c: "%${lib.toUpper (hex2 (charToInt c))}") toEscape);

  # Quotes a string for a POSIX shell, leaving safe words unquoted.
  escapeShellArg = arg:
    let string = toString arg;
    in
    if match "[[:alnum:],._+:@%/-]+" string == null
    then "'${replaceStrings [ "'" ] [ "'\\''" ] string}'"
    else string;

  escapeShellArgs = concatMapStringsSep " " escapeShellArg;

  isValidPosixName = name: match "[a-zA-Z_][a-zA-Z0-9_]*" name != null;

  # A shell assignment of value (string, list → array, attrs → assoc array).
  toShellVar = name: value:
    lib.trivial.throwIfNot (isValidPosixName name) "toShellVar: ${name} is not a valid shell variable name" (
      if builtins.isAttrs value && !isStringLike value then
        "declare -A ${name}=(${concatStringsSep " " (lib.attrsets.mapAttrsToList (n: v: "[${escapeShellArg n}]=${escapeShellArg v}") value)})"
      else if isList value then
        "declare -a ${name}=(${escapeShellArgs value})"
      else
        "${name}=${escapeShellArg value}"
    );

  toShellVars = vars: concatStringsSep "\n" (lib.attrsets.mapAttrsToList toShellVar vars);

  # A Nix string literal denoting s.
  escapeNixString = s: escape [ "$" ] (toJSON s);

  # Escapes the characters that are special in a POSIX extended regex.
  escapeRegex = escape (stringToCharacters "\\[{()^$?*+|.");

  # s as a Nix attribute name: bare when it is an identifier, else quoted.
  escapeNixIdentifier = s:
    if match "[a-zA-Z_][a-zA-Z0-9_'-]*" s != null then s else escapeNixString s;

  escapeXML = replaceStrings [ "\"" "'" "<" ">" "&" ] [ "&quot;" "&apos;" "&lt;" "&gt;" "&amp;" ];

  # Deprecated alias of replaceStrings.
  replaceChars = replaceStrings;

  lowerChars = stringToCharacters "abcdefghijklmnopqrstuvwxyz";
  upperChars = stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

  toLower = replaceStrings upperChars lowerChars;
  toUpper = replaceStrings lowerChars upperChars;

  # The first character upper-cased, the rest lower-cased.
  toSentenceCase = str:
    if str == "" then "" else toUpper (substring 0 1 str) + toLower (substring 1 (-1) str);

  # target with the string context of src added.
  addContextFrom = src: target: substring 0 0 src + target;

  # Splits s at every occurrence of the literal separator sep.
  splitString = sep: s:
    let splits = filter isString (split (escapeRegex (toString sep)) (toString s));
    in map (addContextFrom s) splits;

  removePrefix = prefix: str:
    let n = stringLength prefix;
    in if substring 0 n str == prefix then substring n (-1) str else str;

  removeSuffix = suffix: str:
    let n = stringLength suffix; l = stringLength str;
    in if n <= l && substring (l - n) n str == suffix then substring 0 (l - n) str else str;

  versionOlder = v1: v2: compareVersions v2 v1 == 1;
  versionAtLeast = v1: v2: !versionOlder v1 v2;

  # The name / version part of a package or "name-version" string.
  getName = x: if isString x then (parseDrvName x).name else x.pname or (parseDrvName x.name).name;
  getVersion = x: if isString x then (parseDrvName x).version else x.version or (parseDrvName x.name).version;

  # The file name of a URL up to the first `sep`.
  nameFromURL = url: sep:
    let
      filename = lib.lists.last (splitString "/" url);
      name = head (splitString sep filename);
    in
    assert name != filename; name;

  enableFeature = flag: feature:
    assert isString feature; "--${if flag then "enable" else "disable"}-${feature}";
  enableFeatureAs = flag: feature: value: enableFeature flag feature + optionalString flag "=${value}";
  withFeature = flag: feature:
    assert isString feature; "--${if flag then "with" else "without"}-${feature}";
  withFeatureAs = flag: feature: value: withFeature flag feature + optionalString flag "=${value}";

  # str left-padded with filler to exactly width characters.
  fixedWidthString = width: filler: str:
    let strw = stringLength str;
    in
    assert lib.asserts.assertMsg (strw <= width)
      "fixedWidthString: requested string length (${toString width}) must not be shorter than actual length (${toString strw})";
    if strw == width then str else filler + fixedWidthString (width - stringLength filler) filler str;

  fixedWidthNumber = width: n: fixedWidthString width "0" (toString n);

  # toString of a float, warning when it loses precision.
  floatToString = float:
    let result = toString float; precise = float == fromJSON result;
    in lib.trivial.warnIf (!precise) "Imprecise conversion from float to string ${result}" result;

  isStringLike = x: isString x || isPath x || x ? outPath || x ? __toString;

  isConvertibleWithToString = x:
    isStringLike x || elem (typeOf x) [ "null" "int" "float" "bool" ]
    || (isList x && lib.lists.all isConvertibleWithToString x);

  # Deprecated name of isConvertibleWithToString.
  isCoercibleToString = isConvertibleWithToString;

  # Whether x names a store object (not a path inside one).
  isStorePath = x:
    if isStringLike x then
      let str = toString x;
      in substring 0 1 str == "/"
        && builtins.dirOf str == storeDir
        && match "[0-9a-df-np-sv-z]{32}-.+" (builtins.baseNameOf str) != null
    else false;

  # Parses a decimal integer, allowing surrounding whitespace but no leading
  # zeros (which would be ambiguous with octal).
  toInt = str:
    let
      stripped = match "[[:space:]]*(-?[[:digit:]]+)[[:space:]]*" str;
      digits = head stripped;
      generalError = "toInt: Could not convert ${escapeNixString str} to int.";
    in
    if stripped == null then throw generalError
    else if match "-?0[[:digit:]]+" digits != null
    then throw "toInt: Ambiguity in interpretation of ${escapeNixString str} between octal and zero padded integer."
    else
      let parsed = fromJSON digits;
      in if isInt parsed then parsed else throw generalError;

  # Parses a decimal integer, allowing leading zeros.
  toIntBase10 = str:
    let
      stripped = match "[[:space:]]*(-?)0*([[:digit:]]+)[[:space:]]*" str;
      generalError = "toIntBase10: Could not convert ${escapeNixString str} to int.";
    in
    if stripped == null then throw generalError
    else
      let parsed = fromJSON (elemAt stripped 0 + elemAt stripped 1);
      in if isInt parsed then parsed else throw generalError;

  # The edit distance (insertions, deletions, substitutions) between two
  # strings.
  levenshtein = a: b:
    let
      as = stringToCharacters a;
      bs = stringToCharacters b;
      lb = length bs;
      min3 = x: y: z: lib.trivial.min x (lib.trivial.min y z);
      # The next row of the distance table, for character c at row i.
      step = row: i: c:
        let
          next = genList
            (j:
              if j == 0 then i
              else min3 (elemAt row j + 1) (elemAt next (j - 1) + 1)
                (elemAt row (j - 1) + (if c == elemAt bs (j - 1) then 0 else 1)))
            (lb + 1);
        in
        next;
      last = builtins.foldl' (row: i: step row (i + 1) (elemAt as i)) (genList (j: j) (lb + 1)) (genList (i: i) (length as));
    in
    elemAt last lb;

  # Whether the edit distance of two strings is at most k (cheaper when
  # their lengths differ by more).
  levenshteinAtMost = k: a: b:
    let d = stringLength a - stringLength b;
    in (if d < 0 then -d else d) <= k && levenshtein a b <= k;

  # The contents of a file without its trailing newline.
  fileContents = file: removeSuffix "\n" (builtins.readFile file);

  # A valid derivation name made from an arbitrary string.
  sanitizeDerivationName = string:
    if stringLength string <= 207 && match "[[:alnum:]+_?=-][[:alnum:]+._?=-]*" string != null
    then unsafeDiscardStringContext string
    else
      let
        noDots = head (match "\\.*(.*)" (unsafeDiscardStringContext string));
        replaced = concatStrings (map (s: if isList s then "-" else s) (split "[^[:alnum:]+._?=-]+" noDots));
        len = stringLength replaced;
        cut = substring (lib.trivial.max (len - 207) 0) (-1) replaced;
      in
      if cut == "" then "unknown" else cut;
}
