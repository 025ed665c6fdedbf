# A corpus of derivations for the differential test against Nix: every
# derivation below is instantiated with `nix-instantiate --store D` and each
# resulting .drv is parsed, re-printed and re-hashed by Frazil.
let
  sys = "x86_64-linux";
  mk = args: derivation ({ system = sys; builder = "/bin/sh"; } // args);
  zeros = "0000000000000000000000000000000000000000000000000000";

  # Fixed outputs: every method and algorithm Nix 2.8 accepts.
  fods = [
    (mk { name = "fod-flat-sha256"; outputHashAlgo = "sha256"; outputHash = zeros; })
    (mk { name = "fod-rec-sha256"; outputHashMode = "recursive"; outputHashAlgo = "sha256"; outputHash = zeros; })
    (mk { name = "fod-flat-sha1"; outputHashAlgo = "sha1"; outputHash = "0000000000000000000000000000000000000000"; })
    (mk { name = "fod-rec-sha1"; outputHashMode = "recursive"; outputHashAlgo = "sha1"; outputHash = "0000000000000000000000000000000000000000"; })
    (mk { name = "fod-flat-sha512"; outputHashAlgo = "sha512"; outputHash = builtins.hashString "sha512" "x"; })
    (mk { name = "fod-rec-sha512"; outputHashMode = "recursive"; outputHashAlgo = "sha512"; outputHash = builtins.hashString "sha512" "y"; })
    (mk { name = "fod-md5"; outputHashAlgo = "md5"; outputHash = builtins.hashString "md5" "z"; })
    (mk { name = "fod-sri"; outputHash = "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="; })
    (mk { name = "fod-sri-rec"; outputHashMode = "recursive"; outputHash = "sha256-LCa0a2j/xo/5m0U8HTBBNBNCLXBkg7+g+YpeiGJm564="; })
    (mk { name = "fod-nix32"; outputHashAlgo = "sha256"; outputHash = "1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s"; })
  ];

  # Two FODs with the same hash and different recipes: dependents must not
  # care which one they use.
  fodA = mk { name = "same"; outputHashAlgo = "sha256"; outputHash = zeros; url = "a"; };
  fodB = mk { name = "same"; outputHashAlgo = "sha256"; outputHash = zeros; url = "b"; };

  multi = mk { name = "multi"; outputs = [ "out" "dev" "lib" "bin" ]; };
  unsorted = mk { name = "unsorted"; outputs = [ "z" "a" "out" "doc" ]; };
  noOut = mk { name = "no-out"; outputs = [ "bin" "man" ]; };

  file = builtins.toFile "file.txt" "contents with \"quotes\" and \\ and\nnewline";
  fileRef = builtins.toFile "ref.txt" "points at ${file}";
  srcs = {
    hello = ./src/hello.txt;
    dir = ./src/dir;
    file = file;
    fileRef = fileRef;
  };

  escapes = mk {
    name = "escapes";
    args = [ "-c" "line1\nline2\ttab\rcr \"q\" \\back ${"$"}{x} é ☃ 😀" "" ];
    quote = "\"";
    backslash = "\\";
    crlf = "a\r\nb";
    tabs = "\t\t";
    unicode = "日本語 — ü";
    "weird key" = "v";
    "k\"q" = "v";
    empty = "";
    bools = true;
    falsy = false;
    int = 42;
    neg = -7;
    list = [ "a" "b c" 1 true false null ];
    nul = null;
  };

  structured = mk {
    name = "structured";
    __structuredAttrs = true;
    outputs = [ "out" "dev" ];
    nested = { a = [ 1 2.5 "x\ny" { b = null; } ]; c = true; };
    dep = multi.dev;
    src = srcs.hello;
    s = "\"quoted\" \\ \t";
  };

  big = mk ({
    name = "big";
    blob = builtins.concatStringsSep "" (builtins.genList (i: "line ${toString i} \\ \" \t\n") 3000);
  } // builtins.listToAttrs (builtins.genList (i: { name = "var${toString i}"; value = "value ${toString i}"; }) 500));

  # A chain where each link uses some output of the one before, some
  # fixed outputs and some sources.
  chain = builtins.genList (i: i) 25;
  link = i:
    if i == 0 then multi
    else
      let prev = link (i - 1); in
      mk ({
        name = "link-${toString i}";
        outputs = if i / 3 * 3 == i then [ "out" "dev" ] else [ "out" ];
        prev = if prev ? dev then prev.dev else prev;
        fod = builtins.elemAt fods (i - i / 10 * 10);
        args = [ "-c" "echo ${prev} ${srcs.file}" ];
      } // (if i / 2 * 2 == i then { src = srcs.dir; } else { }));

  mixed = mk {
    name = "mixed";
    inputs = [ multi multi.dev multi.lib unsorted.z unsorted.a noOut.man fodA structured structured.dev ];
    srcs = [ srcs.hello srcs.dir srcs.file srcs.fileRef ];
    rawPath = "${./src/hello.txt}";
  };

  usesA = mk { name = "uses-fod"; f = fodA; };
  usesB = mk { name = "uses-fod"; f = fodB; };

  # A fixed output that depends on other derivations.
  fodDeps = mk { name = "fod-deps"; outputHashAlgo = "sha256"; outputHash = zeros; deps = [ multi mixed ]; };
  afterFod = mk { name = "after-fod-deps"; x = fodDeps; y = usesA; };

  names = map (n: mk { name = n; }) [ "a+b-c.d_e?f=g" "1" "x.drv.x" "_" "=" ];

  many = builtins.genList (i: mk { name = "many-${toString i}"; i = i; dep = builtins.elemAt fods (i - i / 10 * 10); }) 60;
in
fods ++ [ fodA fodB multi unsorted noOut escapes structured big mixed usesA usesB fodDeps afterFod ]
++ map link chain ++ names ++ many
