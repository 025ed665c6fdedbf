# Derivations for the differential test against nix-instantiate: every
# attribute is instantiated by both, and the .drv files must be equal.
let
  sys = "x86_64-linux";
  mk = attrs: derivation ({ system = sys; builder = "/bin/sh"; args = [ "-c" "echo" ]; } // attrs);
  simple = mk { name = "simple"; };
  multi = mk { name = "multi"; outputs = [ "out" "dev" "doc" ]; };
  chain1 = mk { name = "chain1"; dep = multi.dev; docs = "${multi.doc}/share"; };
  chain2 = mk { name = "chain2"; deps = [ chain1 simple ]; };
  zeros = "0000000000000000000000000000000000000000000000000000";
in {
  inherit simple multi chain1 chain2;
  fodRecursive = mk { name = "fod-rec"; outputHashMode = "recursive"; outputHashAlgo = "sha256"; outputHash = zeros; };
  fodFlat = mk { name = "fod-flat"; outputHashAlgo = "sha256"; outputHash = zeros; };
  fodSRI = mk { name = "fod-sri"; outputHash = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="; };
  fodBase16 = mk { name = "fod-hex"; outputHashAlgo = "sha1"; outputHash = "da39a3ee5e6b4b0d3255bfef95601890afd80709"; };
  fodSha512 = mk { name = "fod-512"; outputHashMode = "flat"; outputHash = "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="; };
  usesFods = mk { name = "uses-fods"; a = (mk { name = "f1"; outputHashMode = "recursive"; outputHash = zeros; outputHashAlgo = "sha256"; }); b = (mk { name = "f2"; outputHash = zeros; outputHashAlgo = "sha256"; }); };
  sources = mk { name = "sources"; file = ./src.txt; dir = ./srcdir; str = "${./src.txt}"; p = builtins.path { path = ./srcdir; name = "named"; }; filtered = builtins.filterSource (p: t: t != "symlink") ./srcdir; };
  textFiles = mk { name = "text"; script = builtins.toFile "script.sh" "echo ${builtins.toFile "inner" "x"}"; };
  drvPathContext = mk { name = "drvpath"; d = chain2.drvPath; };
  discarded = mk { name = "discarded"; d = builtins.unsafeDiscardOutputDependency chain2.drvPath; };
  structured = mk { name = "structured"; __structuredAttrs = true; outputs = [ "out" "lib" ]; nested = { a = [ 1 "b" true null { c = simple; } ]; }; num = 42; };
  ignoreNulls = mk { name = "ignore-nulls"; __ignoreNulls = true; gone = null; kept = "x"; };
  envValues = mk { name = "env"; int = 7; float = 1.5; t = true; f = false; n = null; list = [ 1 "two" [ 3 ] null false ]; path = "/no/store"; esc = "q\"uote\\back\nnl\ttab"; };
  withPlaceholder = mk { name = "ph"; outputs = [ "out" "bin" ]; cmd = "mkdir ${placeholder "bin"}"; };
  recursiveSet = { recurseForDerivations = true; inner = mk { name = "inner"; }; };
}
