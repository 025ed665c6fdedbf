# The u-root command set as one multicall binary (gobusybox's makebb):
# bin/bb plus a symlink per command. Its gosh is runCommand's shell.
pkgs:
let
  inherit (pkgs) buildPackages buildSystem goEnv goModSrc buildGoModule requiredVersion;
  commands = builtins.fromJSON (builtins.readFile ./uroot-commands.json);
  version = requiredVersion "github.com/u-root/u-root";
in
rec {
  # makebb, built for the build machine.
  makebb =
    if pkgs.system != buildSystem then buildPackages.makebb
    else buildGoModule {
      pname = "makebb";
      version = requiredVersion "github.com/u-root/gobusybox/src";
      src = goModSrc;
      subPackages = [ "github.com/u-root/gobusybox/src/cmd/makebb" ];
    };

  # The multicall binary alone. gosh is built with goshsmall: a plain
  # line-reading interactive shell, right for a serial console (the default
  # one is a full-screen line editor).
  uroot-bb = derivation (goEnv { } // {
    name = "u-root-bb-${version}";
    system = buildSystem;
    builder = "${buildPackages.indir}/bin/indir";
    args = [ goModSrc "${makebb}/bin/makebb" "-go-build-tags" "goshsmall" "-o" "${placeholder "out"}/bin/bb" ]
      ++ map (c: "github.com/u-root/u-root/cmds/core/${c}") commands;
    PATH = "${buildPackages.go}/bin";
    GOROOT = "${buildPackages.go}";
  });

  # bin/bb and a link per command, made with the build machine's bb. Every
  # link points at the binary itself: bb names the command after the last
  # symlink on the way to it, so sh -> gosh -> bb -> …/bb would run "bb".
  uroot = derivation {
    name = "u-root-${version}";
    system = buildSystem;
    builder = "${buildPackages.uroot-bb}/bin/bb";
    bb = "${uroot-bb}/bin/bb";
    commands = toString commands;
    args = [ "gosh" "-c" ''
      set -e
      tool=${buildPackages.uroot-bb}/bin/bb
      $tool mkdir -p $out/bin
      $tool ln -s $bb $out/bin/bb
      for c in $commands; do $tool ln -s $bb $out/bin/$c; done
    '' ];
  };
}
