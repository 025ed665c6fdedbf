# Derivations: paths, outputs, contexts.
let d = derivation { name = "x"; system = "x86_64-linux"; builder = "/bin/sh"; args = [ "-c" "echo" ]; outputs = [ "out" "dev" ]; }; in [ d.drvPath d.outPath d.dev.outPath d.outputName d.dev.outputName d.type (builtins.attrNames d) ]
#=> [ "/nix/store/c60dz7m0jz2iqvcpfs97z8kvc6wgypfb-x.drv" "/nix/store/090857ifslkx7lk3j672kd32sqdja2iy-x" "/nix/store/lapimzc5hnxm3l48jkc4rsa24bwlgpc0-x-dev" "out" "dev" "derivation" [ "all" "args" "builder" "dev" "drvAttrs" "drvPath" "name" "out" "outPath" "outputName" "outputs" "system" "type" ] ]
---
let
  a = derivation { name = "a"; system = "x86_64-linux"; builder = "/bin/sh"; };
  b = derivation { name = "b"; system = "x86_64-linux"; builder = "/bin/sh"; dep = a; s = "${a}/bin"; src = ./data/test-data.txt; };
in [ b.drvPath b.outPath (builtins.getContext b.drvPath) ]
#=> [ "/nix/store/wzpcfxl1aks4ddw4k4bp62xvz16gnpa4-b.drv" "/nix/store/q4plbr4lcy5yb6qlh3k50rnxgf5kw9xq-b" { "/nix/store/wzpcfxl1aks4ddw4k4bp62xvz16gnpa4-b.drv" = { allOutputs = true; }; } ]
---
let f = derivation { name = "fod"; system = "x86_64-linux"; builder = "/bin/sh"; outputHashMode = "recursive"; outputHash = "0000000000000000000000000000000000000000000000000000"; outputHashAlgo = "sha256"; }; in [ f.drvPath f.outPath ]
#=> [ "/nix/store/06mmf171g6pckid8fx5bx594q3cd4fpb-fod.drv" "/nix/store/h22nhabdi1cyg37slqlhqqmkaish1sm7-fod" ]
---
let f = derivation { name = "flat"; system = "x86_64-linux"; builder = "/bin/sh"; outputHash = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="; }; in [ f.drvPath f.outPath ]
#=> [ "/nix/store/n9qhbmaw5zqa1nksn8vzs1ik116lh8cs-flat.drv" "/nix/store/jafr3l9gcgc9kss6avik01b7k153scmh-flat" ]
---
let d = derivation { name = "s"; system = "x86_64-linux"; builder = "/bin/sh"; __structuredAttrs = true; list = [ 1 "a" ]; n = null; }; in [ d.drvPath d.outPath ]
#=> [ "/nix/store/n1ir6zb4dd8wncrwwkm30wbvihga2xgj-s.drv" "/nix/store/kvb5ysdkh4kbxkjf2s6hmmrnzcwfvig5-s" ]
---
derivation { name = "x"; system = "x86_64-linux"; }  ### required attribute 'builder' missing
---
(derivation { name = "x"; builder = "/bin/sh"; }).outPath  ### required attribute 'system' missing
