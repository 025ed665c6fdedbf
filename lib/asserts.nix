# Assertions with messages, and the assertion/warning check of NixOS.
{ lib }:
let
  inherit (builtins) filter map concatMap concatStringsSep elem;
in
rec {
  # Throws msg unless pred holds; returns true.
  assertMsg = pred: msg: pred || throw msg;

  # Asserts that val is one of xs.
  assertOneOf = name: val: xs:
    assertMsg (elem val xs)
      "${name} must be one of ${lib.generators.toPretty { } xs}, but is: ${lib.generators.toPretty { } val}";

  # Asserts that every element of vals is one of xs.
  assertEachOneOf = name: vals: xs:
    assertMsg (lib.lists.all (val: elem val xs) vals)
      "each element in ${name} must be one of ${lib.generators.toPretty { } xs}, but is: ${lib.generators.toPretty { } vals}";

  # Checks NixOS-style assertions ([{ assertion; message; }]) and warnings
  # ([str]) before returning val: a failed assertion throws
  # "\nFailed assertions:\n- msg…", each warning is printed.
  checkAssertWarn = assertions: warnings: val:
    let failed = map (x: x.message) (filter (x: !x.assertion) assertions);
    in
    if failed != [ ]
    then throw "\nFailed assertions:\n${concatStringsSep "\n" (map (x: "- ${x}") failed)}"
    else lib.trivial.showWarnings warnings val;

  # checkAssertWarn for a module evaluation, given its `options` (which
  # must declare assertions and warnings as NixOS does): each failed
  # assertion is shown with the file and line of the module that defined
  # it: "- message (defined in `/etc/nixos/web.nix:12')".
  checkOptionAssertions = options: val:
    let
      located = concatMap
        (def: map (a: a // { location = lib.options.showDefLocation def; })
          (concatMap lib.modules.dischargeProperties def.value))
        options.assertions.definitionsWithLocations;
      failed = filter (a: !a.assertion) located;
    in
    if failed != [ ]
    then throw "\nFailed assertions:\n${concatStringsSep "\n" (map (a: "- ${a.message} (defined in `${a.location}')") failed)}"
    else lib.trivial.showWarnings options.warnings.value val;
}
