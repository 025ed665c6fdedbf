# Frazil itself, from this repository's source: the CLI, the device's
# PID 1 (frazil-init) and stage 1 (frazil-stage1), static and stripped.
pkgs:
let
  root = toString ../.;
  # Top-level entries that no binary is built from.
  skipTop = [ ".git" ".ci" "docs" "third_party" "scripts" "lib" "pkgs" "bin" "out" "frazil" "README.md" "Makefile" ];
  keep = path: type:
    let base = baseNameOf path; in
    !(dirOf path == root && builtins.elem base skipTop)
    && base != "testdata"
    && builtins.match "result.*|\\..*|.*_test\\.go|.*\\.test" base == null;
in
{
  frazilSrc = builtins.path { name = "frazil-src"; path = ../.; filter = keep; };

  frazil = pkgs.buildGoModule {
    pname = "frazil";
    version = "0.1.0";
    src = pkgs.frazilSrc;
    subPackages = [ "./cmd/frazil" "./cmd/frazil-init" "./cmd/frazil-stage1" ];
  };
}
