# Overridable functions and package-set scopes.
{ lib }:
let
  inherit (builtins) functionArgs intersectAttrs isFunction isAttrs mapAttrs;
in
rec {
  # Makes the result of f args overridable: result.override newArgs calls
  # f again with args // newArgs (or args // newArgs args when a function).
  makeOverridable = f:
    let
      wrapped = origArgs:
        let
          result = f origArgs;
          overrideWith = newArgs: origArgs // (if isFunction newArgs then newArgs origArgs else newArgs);
          overrideResult = g: makeOverridable g origArgs;
        in
        if isAttrs result then
          result // {
            override = newArgs: wrapped (overrideWith newArgs);
            overrideDerivation = fdrv: overrideResult (x: lib.customisation.overrideDerivation (f x) fdrv);
          }
        else if isFunction result then
          lib.trivial.setFunctionArgs result (lib.trivial.functionArgs result) // {
            override = newArgs: wrapped (overrideWith newArgs);
          }
        else result;
    in
    lib.trivial.setFunctionArgs wrapped (lib.trivial.functionArgs f);

  # A derivation with its attributes changed by f (drvAttrs -> changes).
  overrideDerivation = drv: f:
    let newDrv = derivation (drv.drvAttrs // (f drv));
    in newDrv // { meta = drv.meta or { }; passthru = drv.passthru or { }; };

  # Calls fn (a path or function) with the arguments it asks for, taken from
  # autoArgs, overridden by args; the result is overridable.
  callPackageWith = autoArgs: fn: args:
    let
      f = if isFunction fn then fn else import fn;
      fargs = lib.trivial.functionArgs f;
      allArgs = intersectAttrs fargs autoArgs // args;
      missing = lib.attrsets.filterAttrs (name: hasDefault: !hasDefault && !(allArgs ? ${name})) fargs;
      names = builtins.attrNames missing;
    in
    if names != [ ]
    then throw "Function called without required argument \"${builtins.head names}\""
    else makeOverridable f allArgs;

  # A package set in which callPackage sees the set itself:
  # makeScope newScope (self: { a = self.callPackage ./a.nix { }; }).
  makeScope = newScope: f:
    let
      self = f self // {
        newScope = scope: newScope (self // scope);
        callPackage = self.newScope { };
        overrideScope = g: makeScope newScope (lib.fixedPoints.extends g f);
        packages = f;
      };
    in
    self;
}
