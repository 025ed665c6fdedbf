# Small functions on functions, booleans, numbers and warnings.
{ lib }:
let
  inherit (builtins) getEnv elem trace;

  abortOnWarn = elem (getEnv "NIX_ABORT_ON_WARN") [ "1" "true" "yes" ];

  # The warning primitive: the evaluator's own when it has one (current Nix
  # prints "evaluation warning: …"), else a trace that says "warning: …".
  warnPrim =
    if builtins ? warn then builtins.warn
    else msg: trace "warning: ${msg}";
in
rec {
  ## Functions

  # The identity function.
  id = x: x;

  # Returns its first argument, ignoring the second.
  const = x: _: x;

  # Applies a list of functions left to right: pipe x [ f g ] == g (f x).
  pipe = builtins.foldl' (x: f: f x);

  # Flips the first two arguments of a function.
  flip = f: a: b: f b a;

  # Applies f to x unless x is null.
  mapNullable = f: x: if x == null then x else f x;

  # Returns x, or def when x is null.
  defaultTo = def: x: if x == null then def else x;

  # Sets the reported formal arguments of a function (see functionArgs).
  setFunctionArgs = f: args: {
    __functor = self: f;
    __functionArgs = args;
  };

  # The formal arguments of a function or of a functor set made by
  # setFunctionArgs: an attribute set from name to "has a default".
  functionArgs = f:
    if f ? __functor
    then f.__functionArgs or (functionArgs (f.__functor f))
    else builtins.functionArgs f;

  # Whether f can be called: a lambda, a primop, or a set with __functor.
  isFunction = f: builtins.isFunction f || (f ? __functor && isFunction (f.__functor f));

  # Gives g the formal arguments of f.
  mirrorFunctionArgs = f: g: setFunctionArgs g (functionArgs f);

  # Turns a value into a function returning it, unless it is one already.
  toFunction = v: if isFunction v then v else _: v;

  ## Booleans and operators

  concat = x: y: x ++ y;
  or = x: y: x || y;
  and = x: y: x && y;
  xor = x: y: (!x) != (!y);
  bitAnd = builtins.bitAnd;
  bitOr = builtins.bitOr;
  bitXor = builtins.bitXor;
  bitNot = builtins.sub (-1);
  boolToString = b: if b then "true" else "false";
  mergeAttrs = x: y: x // y;
  seq = builtins.seq;
  deepSeq = builtins.deepSeq;
  lessThan = builtins.lessThan;
  add = builtins.add;
  sub = builtins.sub;

  ## Numbers

  min = x: y: if x < y then x else y;
  max = x: y: if x > y then x else y;

  # Integer modulus with the sign of the dividend, like C's %.
  mod = base: int: base - (int * (builtins.div base int));

  # -1, 0 or 1 as a is less than, equal to or greater than b.
  compare = a: b: if a < b then -1 else if a > b then 1 else 0;

  # Compares with `yes` when p a and p b both hold, with `no` when neither
  # does, and sorts elements satisfying p first.
  splitByAndCompare = p: yes: no: a: b:
    if p a then (if p b then yes a b else -1)
    else if p b then 1
    else no a b;

  # The digits of i in base `base`, most significant first.
  toBaseDigits = base: i:
    let
      go = i:
        if i < base then [ i ]
        else go (builtins.div i base) ++ [ (i - base * builtins.div i base) ];
    in
    assert base >= 2; assert i >= 0; go i;

  # Upper-case hexadecimal representation of a non-negative integer.
  toHexString = i:
    let
      digit = d: if d < 10 then toString d else builtins.elemAt [ "A" "B" "C" "D" "E" "F" ] (d - 10);
    in
    builtins.concatStringsSep "" (map digit (toBaseDigits 16 i));

  ## Files

  importJSON = path: builtins.fromJSON (builtins.readFile path);
  importTOML = path: builtins.fromTOML (builtins.readFile path);

  ## Warnings and errors

  # Prints a warning and returns the second argument. With NIX_ABORT_ON_WARN
  # set, every warning aborts evaluation.
  warn =
    if abortOnWarn
    then msg: _: warnPrim msg (abort "NIX_ABORT_ON_WARN=true; warnings are treated as unrecoverable errors.")
    else warnPrim;

  warnIf = cond: msg: if cond then warn msg else x: x;
  warnIfNot = cond: msg: if cond then x: x else warn msg;

  throwIf = cond: msg: if cond then throw msg else x: x;
  throwIfNot = cond: msg: if cond then x: x else throw msg;

  # Prints an informational trace and returns the second argument.
  info = msg: trace "INFO: ${msg}";

  # Prints every warning of a list, then returns res.
  showWarnings = warnings: res: lib.lists.foldr (w: x: warn w x) res warnings;

  # Throws unless every element of given is in valid.
  checkListOfEnum = msg: valid: given:
    let unexpected = lib.lists.subtractLists valid given;
    in
    throwIfNot (unexpected == [ ])
      "${msg}: ${builtins.concatStringsSep ", " (map builtins.toString unexpected)} unexpected; valid ones: ${builtins.concatStringsSep ", " (map builtins.toString valid)}";

  ## Release information (Frazil tracks a NixOS release line for stateVersion checks)

  release = "25.05";
  codeName = "Frazil";
  version = "25.05-frazil";
  versionSuffix = "-frazil";
  oldestSupportedRelease = 2405;
  isInOldestRelease = release: release <= oldestSupportedRelease;
  inPureEvalMode = !(builtins ? currentSystem);
}
