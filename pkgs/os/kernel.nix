# Kernels imported from Debian's linux-image packages, pinned by
# kernel/kernels.lock.json (written by `frazil kernel update-lock`).
#
# The .deb is a flat fixed-output path fetched by builtin:fetchurl from a
# debian: URL, which the builder resolves against apt's configured archives.
# The kernel tree is a recursive fixed-output path too, built by the build
# machine's `frazil kernel unpack`; its hash is the lock's narHash, so its
# path is the lock's storePath and does not change with the frazil binary.
{ lib, frazilBuilder, buildSystem }:
let
  inherit (builtins) filter head fromJSON readFile replaceStrings;

  kernelLock = fromJSON (readFile ../../kernel/kernels.lock.json);

  debianArch = {
    "x86_64-linux" = "amd64";
    "aarch64-linux" = "arm64";
    "i686-linux" = "i386";
  };

  imageFile = { amd64 = "bzImage"; arm64 = "Image"; i386 = "bzImage"; };

  lockEntry = arch:
    let found = filter (e: e.arch == arch) kernelLock.kernels;
    in if found == [ ] then throw "kernel/kernels.lock.json pins no kernel for ${arch}; run: frazil kernel update-lock --arch ${arch}"
    else head found;

  # Store path names allow [0-9a-zA-Z+-._?=].
  storeName = s: replaceStrings [ ":" "~" ] [ "%3a" "_" ] s;

  kernelFromLock = e:
    let
      deb = derivation {
        name = storeName "${e.package}_${e.version}_${e.arch}.deb";
        system = "builtin";
        builder = "builtin:fetchurl";
        url = "debian:${e.filename or (throw "kernel/kernels.lock.json: the ${e.arch} entry has no filename; regenerate it with frazil kernel update-lock")}";
        outputHashMode = "flat";
        outputHashAlgo = "sha256";
        outputHash = e.debSha256;
        preferLocalBuild = true;
      };
      tree = derivation {
        name = "linux-${e.kernelVersion}";
        system = buildSystem;
        builder = frazilBuilder;
        args = [ "kernel" "unpack" "--arch" e.arch deb (placeholder "out") ];
        outputHashMode = "recursive";
        outputHashAlgo = "sha256";
        outputHash = lib.removePrefix "sha256:" e.narHash;
        preferLocalBuild = true;
      };
    in
    tree // {
      inherit deb;
      version = lib.head (lib.splitString "-" e.version);
      modDirVersion = e.kernelVersion;
      imageFile = imageFile.${e.arch};
      debianPackage = "${e.package}=${e.version}";
      lockedStorePath = e.storePath;
    };
in
{
  inherit kernelLock debianArch;

  # linuxPackagesFor system: { kernel } for a Nix system name.
  linuxPackagesFor = system:
    let arch = debianArch.${system} or (throw "no Debian kernel for system '${system}' (supported: x86_64-linux, aarch64-linux, i686-linux)");
    in { kernel = kernelFromLock (lockEntry arch); };
}
