# Builders of small derivations. runCommand's shell is gosh from the
# u-root multicall binary of the build machine, so no host shell is used.
pkgs:
let
  inherit (pkgs) buildPackages buildSystem;
  shell = buildPackages.uroot;
in
rec {
  # runCommand NAME ENV SCRIPT: run SCRIPT with gosh (set -e) and the
  # u-root commands on PATH; it must create $out.
  runCommand = name: env: script:
    derivation ({
      inherit name;
      system = buildSystem;
      builder = "${shell}/bin/gosh";
      args = [ "-c" ("set -e\n" + script) ];
      PATH = "${shell}/bin";
    } // env);

  # writeTextFile: TEXT in a file at $out, or at $out/DESTINATION.
  writeTextFile = { name, text, executable ? false, destination ? "" }:
    runCommand name { inherit text; passAsFile = [ "text" ]; } (''
      target="$out${destination}"
    '' + (if destination != "" then ''
      mkdir -p "$(dirname "$target")"
    '' else "") + ''
      cp "$textPath" "$target"
    '' + (if executable then ''
      chmod 0755 "$target"
    '' else ""));

  writeText = name: text: writeTextFile { inherit name text; };

  writeScript = name: text: writeTextFile { inherit name text; executable = true; };

  writeScriptBin = name: text:
    writeTextFile { inherit name text; executable = true; destination = "/bin/${name}"; };

  # buildEnv: one tree of symlinks merging the trees of PATHS (Nix's
  # builtin:buildenv). Packages earlier in PATHS win when ignoreCollisions
  # is set; otherwise two files at the same place are an error.
  buildEnv = { name, paths, ignoreCollisions ? false }:
    let
      group = i: p: "1 ${toString (if ignoreCollisions then i else 5)} 1 ${p}";
      groups = builtins.genList (i: group (i + 1) (builtins.elemAt paths i)) (builtins.length paths);
    in
    derivation {
      inherit name;
      system = buildSystem;
      builder = "builtin:buildenv";
      derivations = builtins.concatStringsSep " " groups;
      manifest = builtins.toFile "env-manifest.nix" "[ ]\n";
      preferLocalBuild = true;
    };

  # symlinkJoin: like buildEnv, the first of PATHS winning collisions.
  symlinkJoin = { name, paths }: buildEnv { inherit name paths; ignoreCollisions = true; };
}
