# Go: the toolchain and the module set as fixed-output paths, and
# buildGoModule.
pkgs:
let
  inherit (pkgs) lock buildPackages buildSystem platform;
  goHostArch = pkgs.buildPlatform.goarch;
  goVersion = lock.go.version;
  toolchainModule = "v0.0.1-go${goVersion}.linux-${goHostArch}";
in
rec {
  # The Go toolchain of the build machine, as the module proxy serves it
  # (module golang.org/toolchain). goproxy:// is resolved when fetching,
  # against $GOPROXY (or `go env GOPROXY`).
  go =
    if pkgs.system != buildSystem then buildPackages.go
    else derivation {
      name = "go-${goVersion}";
      system = "builtin";
      builder = "builtin:frazil-fetchzip";
      url = "goproxy://golang.org/toolchain/@v/${toolchainModule}.zip";
      stripPrefix = "golang.org/toolchain@${toolchainModule}";
      executable = "bin/* pkg/tool/*/*";
      outputHashMode = "recursive";
      outputHashAlgo = "sha256";
      outputHash = lock.go.hashes."linux-${goHostArch}"
        or (throw "pkgs: no Go toolchain is locked for linux-${goHostArch} build machines (see docs/pkgs.md)");
    };

  # goModuleProxy: the modules a go.sum lists, laid out as a module proxy
  # directory (GOPROXY=file://…).
  goModuleProxy = { name, goSum, hash }: derivation {
    inherit name goSum;
    system = "builtin";
    builder = "builtin:frazil-gomodproxy";
    outputHashMode = "recursive";
    outputHashAlgo = "sha256";
    outputHash = hash;
  };

  # The modules of this repository's go.mod (Frazil's own dependencies,
  # gobusybox and the u-root commands; see tools.go).
  goModules =
    if pkgs.system != buildSystem then buildPackages.goModules
    else
      let
        goSum = builtins.readFile ../../go.sum;
        pinned = lock.modules.frazil;
      in
      if builtins.hashString "sha256" goSum != pinned.goSumSha256
      then throw "pkgs: go.sum changed since pkgs/go.lock.json was made: run scripts/update-pkgs-lock -only modules"
      else goModuleProxy { name = "frazil-go-modules"; inherit goSum; hash = pinned.hash; };

  # goEnv: the environment of a Go build for this set's target. The
  # caches live in the build directory (/build in the sandbox).
  goEnv = { modules ? goModules }: {
    GOCACHE = "/build/go-cache";
    GOPATH = "/build/go";
    GOPROXY = "file://${modules}";
    GOSUMDB = "off";
    GOTOOLCHAIN = "local";
    GOTELEMETRY = "off";
    GOENV = "off";
    GOFLAGS = "-trimpath";
    CGO_ENABLED = "0";
    GOOS = "linux";
    GOARCH = platform.goarch;
  };

  # buildGoModule: `go build` of SUBPACKAGES (package paths or ./dirs) of
  # the module at SRC, the go command itself being the builder. The
  # binaries land in $out/bin.
  buildGoModule =
    { pname, version, src, subPackages
    , ldflags ? [ "-s" "-w" ]
    , tags ? [ ]
    , modules ? goModules
    , env ? { }
    }:
    derivation (goEnv { inherit modules; } // {
      name = "${pname}-${version}";
      system = buildSystem;
      builder = "${buildPackages.go}/bin/go";
      args = [ "-C" src "build" "-trimpath" "-ldflags=${toString ldflags}" ]
        ++ (if tags == [ ] then [ ] else [ "-tags=${builtins.concatStringsSep "," tags}" ])
        ++ [ "-o" "${placeholder "out"}/bin/" ] ++ subPackages;
    } // env);

  # The module root of this repository with only go.mod and go.sum: enough
  # to build packages of its dependencies.
  goModSrc = builtins.path {
    name = "frazil-go-mod";
    path = ../..;
    filter = path: type: builtins.elem (baseNameOf path) [ "go.mod" "go.sum" ] && dirOf path == toString ../..;
  };

  # The version of a module required by this repository's go.mod.
  requiredVersion = module:
    let
      lines = builtins.filter builtins.isString (builtins.split "\n" (builtins.readFile ../../go.mod));
      pattern = "[\t ]*(require )?${builtins.replaceStrings [ "." ] [ "\\." ] module} (v[^ ]*)( //.*)?";
      found = builtins.filter (m: m != null) (map (builtins.match pattern) lines);
    in
    if found == [ ] then throw "pkgs: go.mod does not require ${module}"
    else builtins.elemAt (builtins.head found) 1;

  # indir DIR CMD ARGS: runs CMD in DIR (a builder for tools that look at
  # their working directory). Standard library only.
  indir = derivation (goEnv { } // {
    name = "indir";
    system = buildSystem;
    builder = "${buildPackages.go}/bin/go";
    args = [ "build" "-trimpath" "-ldflags=-s -w" "-o" "${placeholder "out"}/bin/indir" "${../indir/main.go}" ];
  });
}
