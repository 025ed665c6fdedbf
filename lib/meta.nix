# Package metadata helpers.
{ lib }:
rec {
  # drv with extra meta attributes.
  addMetaAttrs = newAttrs: drv: drv // { meta = (drv.meta or { }) // newAttrs; };

  # Sets meta.priority (lower wins in buildEnv conflicts).
  setPrio = priority: addMetaAttrs { inherit priority; };
  lowPrio = setPrio 10;
  hiPrio = setPrio (-10);

  # The path of the main program of a package: meta.mainProgram, else the
  # package name.
  getExe = x:
    getExe' x (x.meta.mainProgram or (lib.trivial.warn
      "getExe: Package ${lib.strings.escapeNixIdentifier x.meta.name or x.pname or x.name} does not have the meta.mainProgram attribute. We'll assume that the main program has the same name for now, but this behavior is deprecated, because it leads to surprising errors when the assumption does not hold. If the package has a main program, please set `meta.mainProgram` in its definition to make this warning go away. Otherwise, if the package does not have a main program, or if you don't control its definition, use getExe' to specify the name to the program, such as lib.getExe' foo \"bar\"."
      (lib.strings.getName x)));

  # The path of the named program of a package.
  getExe' = x: y:
    assert lib.asserts.assertMsg (lib.attrsets.isDerivation x) "lib.meta.getExe': The first argument is of type ${builtins.typeOf x}, but it should be a derivation instead.";
    assert lib.asserts.assertMsg (builtins.isString y) "lib.meta.getExe': The second argument is of type ${builtins.typeOf y}, but it should be a string instead.";
    assert lib.asserts.assertMsg (builtins.match ".*/.*" y == null) "lib.meta.getExe': The second argument \"${y}\" is a nested path with a \"/\" character, but it should just be the name of the executable instead.";
    "${lib.attrsets.getBin x}/bin/${y}";
}
