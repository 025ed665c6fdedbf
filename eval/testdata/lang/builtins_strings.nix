# Builtins on strings.
with builtins; [ (stringLength "hello") (substring 1 3 "hello") (substring 3 100 "hello") (substring 10 2 "hello") (substring 1 (-1) "hello") (concatStringsSep ", " [ "a" "b" "c" ]) ]
#=> [ 5 "ell" "lo" "" "ello" "a, b, c" ]
---
with builtins; [ (replaceStrings [ "a" "b" ] [ "1" "2" ] "aabbc") (replaceStrings [ "" ] [ "-" ] "abc") (replaceStrings [ "oo" "o" ] [ "0" "1" ] "foooo") ]
#=> [ "1122c" "-a-b-c-" "f00" ]
---
with builtins; [ (match "a(b)?c" "ac") (match "a(b)?c" "abc") (match "x" "abc") (match "[[:alpha:]]+([0-9]*)" "abc123") (match ".*\\.nix" "default.nix") ]
#=> [ [ null ] [ "b" ] null [ "123" ] [ ] ]
---
# '.' matches a newline, in match and split alike.
with builtins; [ (match "a.b" "a\nb") (match "(.*)" "x\ny") (split "a.b" "xa\nby") ]
#=> [ [ ] [ "x\ny" ] [ "x" [ ] "y" ] ]
---
with builtins; [ (split "," "a,b,c") (split "(a)|(b)" "xaybz") (split "x" "") (split "[[:space:]]+" " a  b ") ]
#=> [ [ "a" [ ] "b" [ ] "c" ] [ "x" [ "a" null ] "y" [ null "b" ] "z" ] [ "" ] [ "" [ ] "a" [ ] "b" [ ] "" ] ]
---
with builtins; [ (splitVersion "1.2.3pre4-rc1") (compareVersions "1.2" "1.10") (compareVersions "1.0pre" "1.0") (compareVersions "2.0" "2.0") (compareVersions "1.2a" "1.2.1") ]
#=> [ [ "1" "2" "3" "pre" "4" "rc" "1" ] -1 -1 0 -1 ]
---
with builtins; [ (parseDrvName "nix-2.8.0") (parseDrvName "foo-bar-1.0") (parseDrvName "nover") ]
#=> [ { name = "nix"; version = "2.8.0"; } { name = "foo-bar"; version = "1.0"; } { name = "nover"; version = ""; } ]
---
with builtins; [ (toString 1) (toString 1.5) (toString true) (toString false) (toString null) (toString [ 1 [ ] "a" [ 2 ] ]) (toString ./a/b) ]
#=> [ "1" "1.500000" "1" "" "" "1 a 2" "$DIR/a/b" ]
---
with builtins; [ (baseNameOf "/a/b/c") (baseNameOf "/a/b/") (dirOf "/a/b/c") (dirOf "abc") (dirOf "/a") (dirOf ./x/y) ]
#=> [ "c" "b" "/a/b" "." "/" $DIR/x ]
---
with builtins; [ (hashString "md5" "abc") (hashString "sha1" "abc") (hashString "sha256" "abc") (hashString "sha512" "") ]
#=> [ "900150983cd24fb0d6963f7d28e17f72" "a9993e364706816aba3e25717850c26c9cd0d89d" "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e" ]
---
builtins.hashString "sha3" "x"  ### unknown hash algorithm 'sha3'
---
builtins.substring (-1) 1 "abc"  ### negative start position
---
builtins.replaceStrings [ "a" ] [ ] "x"  ### different lengths
---
"${1}"  ### cannot coerce an integer to a string
