# Tests of the library functions, as nixpkgs' lib/tests/misc.nix: a set of
# test* = { expr; expected; } checked by runTests. Evaluates to [] when all
# pass, else to the list of failures { name; expected; result; }.
#
#   nix-instantiate --eval --strict --json lib/tests/misc.nix
let
  lib = import ../.;
  inherit (lib) runTests;

  # A test that `expr` fails to evaluate (throw or assert).
  testFails = expr: { expr = (builtins.tryEval expr).success; expected = false; };

  drv = name: {
    type = "derivation";
    inherit name;
    outPath = "/nix/store/00000000000000000000000000000000-${name}";
  };
  multiOutput = drv "multi" // {
    bin = drv "multi-bin";
    lib = drv "multi-lib";
    dev = drv "multi-dev";
    out = drv "multi";
  };
in
runTests {
  ## trivial

  testId = { expr = lib.id 1; expected = 1; };
  testConst = { expr = lib.const 2 3; expected = 2; };
  testPipe = { expr = lib.pipe 2 [ (x: x + 2) (x: x * 4) ]; expected = 16; };
  testPipeEmpty = { expr = lib.pipe 2 [ ]; expected = 2; };
  testPipeStrings = {
    expr = lib.pipe [ 3 4 ] [ (map toString) (map (s: s + "\n")) lib.concatStrings ];
    expected = "3\n4\n";
  };
  testFlip = { expr = lib.flip lib.concat [ 1 ] [ 2 ]; expected = [ 2 1 ]; };
  testConcat = { expr = lib.concat [ 1 2 ] [ 3 ]; expected = [ 1 2 3 ]; };
  testAndOr = { expr = [ (lib.and true false) (lib.or true false) (lib.xor true true) (lib.xor true false) ]; expected = [ false true false true ]; };
  testBoolToString = { expr = map lib.boolToString [ true false ]; expected = [ "true" "false" ]; };
  testMapNullable = { expr = [ (lib.mapNullable (x: x + 1) null) (lib.mapNullable (x: x + 1) 1) ]; expected = [ null 2 ]; };
  testDefaultTo = { expr = [ (lib.defaultTo 1 null) (lib.defaultTo 1 2) ]; expected = [ 1 2 ]; };
  testMinMax = { expr = [ (lib.min 1 2) (lib.max 1 2) (lib.min "a" "b") ]; expected = [ 1 2 "a" ]; };
  testMod = { expr = [ (lib.mod 7 3) (lib.mod (-7) 3) (lib.mod 6 3) ]; expected = [ 1 (-1) 0 ]; };
  testCompare = { expr = [ (lib.compare 1 2) (lib.compare 2 2) (lib.compare "b" "a") ]; expected = [ (-1) 0 1 ]; };
  testSplitByAndCompare = {
    expr = lib.sort (a: b: lib.splitByAndCompare (lib.hasPrefix "x") lib.compare lib.compare a b < 0) [ "b" "xb" "a" "xa" ];
    expected = [ "xa" "xb" "a" "b" ];
  };
  testToHexString = { expr = map lib.toHexString [ 0 10 255 4096 ]; expected = [ "0" "A" "FF" "1000" ]; };
  testToBaseDigits = { expr = [ (lib.toBaseDigits 2 6) (lib.toBaseDigits 10 0) ]; expected = [ [ 1 1 0 ] [ 0 ] ]; };
  testBitOps = { expr = [ (lib.bitAnd 12 10) (lib.bitOr 12 10) (lib.bitXor 12 10) (lib.bitNot 0) ]; expected = [ 8 14 6 (-1) ]; };
  testFunctionArgs = { expr = lib.functionArgs ({ a, b ? 1 }: a); expected = { a = false; b = true; }; };
  testSetFunctionArgs = {
    expr = let f = lib.setFunctionArgs (args: args.a) { a = false; }; in [ (lib.functionArgs f) (f { a = 3; }) ];
    expected = [ { a = false; } 3 ];
  };
  testIsFunction = { expr = map lib.isFunction [ (x: x) { __functor = self: x: x; } { } 1 ]; expected = [ true true false false ]; };
  testToFunction = { expr = [ (lib.toFunction 1 null) (lib.toFunction (x: x + 1) 1) ]; expected = [ 1 2 ]; };
  testThrowIf = testFails (lib.throwIf true "boom" 1);
  testThrowIfNot = { expr = lib.throwIfNot true "boom" 1; expected = 1; };
  testWarnIfFalse = { expr = lib.warnIf false "never" 3; expected = 3; };
  testCheckListOfEnum = testFails (lib.checkListOfEnum "color" [ "red" "blue" ] [ "green" ] true);
  testCheckListOfEnumOk = { expr = lib.checkListOfEnum "color" [ "red" "blue" ] [ "red" ] true; expected = true; };
  testImportJSON = { expr = lib.importJSON ./data.json; expected = { a = [ 1 2 ]; }; };

  ## fixed points

  testFix = { expr = (lib.fix (self: { a = 1; b = self.a + 1; })).b; expected = 2; };
  testExtends = {
    expr = lib.fix (lib.extends (final: prev: { b = prev.a + final.c; }) (self: { a = 1; c = 10; }));
    expected = { a = 1; b = 11; c = 10; };
  };
  testComposeExtensions = {
    expr =
      let
        f = final: prev: { a = prev.a + 1; };
        g = final: prev: { a = prev.a * 10; b = final.a; };
      in
      lib.fix (lib.extends (lib.composeExtensions f g) (_: { a = 1; }));
    expected = { a = 20; b = 20; };
  };
  testComposeManyExtensions = {
    expr = (lib.fix (lib.extends (lib.composeManyExtensions [ (_: p: { a = p.a + 1; }) (_: p: { a = p.a * 3; }) ]) (_: { a = 1; }))).a;
    expected = 6;
  };
  testMakeExtensible = {
    expr = let x = lib.makeExtensible (self: { a = 1; b = self.a + 1; }); in (x.extend (final: prev: { a = 5; })).b;
    expected = 6;
  };
  testConverge = { expr = lib.converge (x: if x > 10 then x else x * 2) 1; expected = 16; };
  testLibExtend = {
    expr = let lib' = lib.extend (final: prev: { answer = 42; twice = x: final.answer + x; }); in [ (lib'.twice 1) (lib' ? mkOption) ];
    expected = [ 43 true ];
  };

  ## lists

  testFoldr = { expr = lib.foldr (x: acc: "(${x}${acc})") "" [ "a" "b" "c" ]; expected = "(a(b(c)))"; };
  testFoldl = { expr = lib.foldl (acc: x: "(${acc}${x})") "" [ "a" "b" "c" ]; expected = "(((a)b)c)"; };
  testFoldlStrict = { expr = lib.foldl' (a: b: a + b) 0 (lib.range 1 100); expected = 5050; };
  testIfoldr = { expr = lib.lists.ifoldr (i: x: acc: acc + i * x) 0 [ 1 2 3 ]; expected = 8; };
  testImap0 = { expr = lib.imap0 (i: x: "${toString i}${x}") [ "a" "b" ]; expected = [ "0a" "1b" ]; };
  testImap1 = { expr = lib.imap1 (i: x: "${toString i}${x}") [ "a" "b" ]; expected = [ "1a" "2b" ]; };
  testIfilter0 = { expr = lib.lists.ifilter0 (i: x: i != 1 && x != "d") [ "a" "b" "c" "d" ]; expected = [ "a" "c" ]; };
  testConcatMap = { expr = lib.concatMap (x: [ x x ]) [ 1 2 ]; expected = [ 1 1 2 2 ]; };
  testConcatLists = { expr = lib.concatLists [ [ 1 ] [ ] [ 2 3 ] ]; expected = [ 1 2 3 ]; };
  testFlatten = { expr = lib.flatten [ 1 [ 2 [ 3 [ ] ] ] 4 ]; expected = [ 1 2 3 4 ]; };
  testFlattenScalar = { expr = lib.flatten 1; expected = [ 1 ]; };
  testRemove = { expr = lib.remove 3 [ 1 3 2 3 ]; expected = [ 1 2 ]; };
  testFindSingle = {
    expr = [
      (lib.findSingle (x: x == 3) "none" "multiple" [ 1 3 ])
      (lib.findSingle (x: x == 3) "none" "multiple" [ 1 ])
      (lib.findSingle (x: x == 3) "none" "multiple" [ 3 3 ])
    ];
    expected = [ 3 "none" "multiple" ];
  };
  testFindFirst = { expr = [ (lib.findFirst (x: x > 1) 0 [ 1 2 3 ]) (lib.findFirst (x: x > 5) 0 [ 1 ]) ]; expected = [ 2 0 ]; };
  testFindFirstLazy = { expr = lib.findFirst (x: x == 1) 7 [ 1 (abort "not forced") ]; expected = 1; };
  testFindFirstIndex = { expr = [ (lib.findFirstIndex (x: x > 1) null [ 1 2 3 ]) (lib.findFirstIndex (x: x > 9) null [ 1 ]) ]; expected = [ 1 null ]; };
  testCount = { expr = lib.count (x: x == 1) [ 1 2 1 1 ]; expected = 3; };
  testOptional = { expr = [ (lib.optional true 1) (lib.optional false 1) ]; expected = [ [ 1 ] [ ] ]; };
  testOptionals = { expr = [ (lib.optionals true [ 1 2 ]) (lib.optionals false [ 1 2 ]) ]; expected = [ [ 1 2 ] [ ] ]; };
  testToList = { expr = [ (lib.toList 1) (lib.toList [ 1 ]) ]; expected = [ [ 1 ] [ 1 ] ]; };
  testRange = { expr = [ (lib.range 2 4) (lib.range 3 2) (lib.range 1 1) ]; expected = [ [ 2 3 4 ] [ ] [ 1 ] ]; };
  testReplicate = { expr = [ (lib.replicate 3 "a") (lib.replicate 0 "a") ]; expected = [ [ "a" "a" "a" ] [ ] ]; };
  testPartition = { expr = lib.partition (x: x > 2) [ 5 1 3 2 ]; expected = { right = [ 5 3 ]; wrong = [ 1 2 ]; }; };
  testGroupBy = { expr = lib.groupBy (x: if x > 2 then "big" else "small") [ 1 3 2 4 ]; expected = { big = [ 3 4 ]; small = [ 1 2 ]; }; };
  testGroupBy' = { expr = lib.groupBy' (acc: x: acc + x.v) 0 (x: x.k) [ { k = "a"; v = 1; } { k = "b"; v = 5; } { k = "a"; v = 2; } ]; expected = { a = 3; b = 5; }; };
  testZipListsWith = { expr = lib.zipListsWith (a: b: a + b) [ 1 2 3 ] [ 10 20 ]; expected = [ 11 22 ]; };
  testZipLists = { expr = lib.zipLists [ 1 2 ] [ "a" "b" ]; expected = [ { fst = 1; snd = "a"; } { fst = 2; snd = "b"; } ]; };
  testReverseList = { expr = [ (lib.reverseList [ 1 2 3 ]) (lib.reverseList [ ]) ]; expected = [ [ 3 2 1 ] [ ] ]; };
  testToposort = {
    expr = lib.toposort lib.hasPrefix [ "/a/b" "/" "/a" "/c" ];
    expected = { result = [ "/" "/a" "/a/b" "/c" ]; };
  };
  testToposortCycle = {
    expr = (lib.toposort (a: b: true) [ 1 2 ]) ? cycle;
    expected = true;
  };
  testSort = { expr = lib.sort (a: b: a < b) [ 3 1 2 ]; expected = [ 1 2 3 ]; };
  testSortStable = {
    expr = map (x: x.n) (lib.sort (a: b: a.k < b.k) [ { k = 1; n = "a"; } { k = 0; n = "b"; } { k = 1; n = "c"; } { k = 0; n = "d"; } ]);
    expected = [ "b" "d" "a" "c" ];
  };
  testSortOn = { expr = lib.sortOn builtins.stringLength [ "ccc" "a" "bb" ]; expected = [ "a" "bb" "ccc" ]; };
  testNaturalSort = { expr = lib.naturalSort [ "v10" "v2" "v1" "a" ]; expected = [ "a" "v1" "v2" "v10" ]; };
  testCompareLists = {
    expr = [ (lib.compareLists lib.compare [ ] [ ]) (lib.compareLists lib.compare [ 1 ] [ 1 2 ]) (lib.compareLists lib.compare [ 2 ] [ 1 3 ]) ];
    expected = [ 0 (-1) 1 ];
  };
  testTake = { expr = [ (lib.take 2 [ 1 2 3 ]) (lib.take 5 [ 1 ]) (lib.take 0 [ 1 ]) ]; expected = [ [ 1 2 ] [ 1 ] [ ] ]; };
  testDrop = { expr = [ (lib.drop 2 [ 1 2 3 ]) (lib.drop 5 [ 1 ]) (lib.drop 0 [ 1 ]) ]; expected = [ [ 3 ] [ ] [ 1 ] ]; };
  testTakeEndDropEnd = { expr = [ (lib.lists.takeEnd 2 [ 1 2 3 ]) (lib.lists.dropEnd 2 [ 1 2 3 ]) (lib.lists.takeEnd 5 [ 1 ]) ]; expected = [ [ 2 3 ] [ 1 ] [ 1 ] ]; };
  testSublist = { expr = [ (lib.sublist 1 2 [ 1 2 3 4 ]) (lib.sublist 3 5 [ 1 2 3 4 ]) (lib.sublist 9 1 [ 1 ]) ]; expected = [ [ 2 3 ] [ 4 ] [ ] ]; };
  testListPrefix = {
    expr = [ (lib.lists.hasPrefix [ 1 ] [ 1 2 ]) (lib.lists.hasPrefix [ 2 ] [ 1 2 ]) (lib.lists.removePrefix [ 1 ] [ 1 2 ]) (lib.lists.commonPrefix [ 1 2 3 ] [ 1 2 4 ]) ];
    expected = [ true false [ 2 ] [ 1 2 ] ];
  };
  testListRemovePrefixFails = testFails (lib.lists.removePrefix [ 2 ] [ 1 2 ]);
  testHeadTailLastInit = { expr = [ (lib.head [ 1 2 3 ]) (lib.tail [ 1 2 3 ]) (lib.last [ 1 2 3 ]) (lib.init [ 1 2 3 ]) ]; expected = [ 1 [ 2 3 ] 3 [ 1 2 ] ]; };
  testLastEmpty = testFails (lib.last [ ]);
  testInitEmpty = testFails (lib.init [ ]);
  testElem = { expr = [ (lib.elem 2 [ 1 2 ]) (lib.elem 3 [ 1 2 ]) ]; expected = [ true false ]; };
  testGenList = { expr = lib.genList (x: x * x) 4; expected = [ 0 1 4 9 ]; };
  testCrossLists = { expr = lib.crossLists (x: y: "${toString x}${toString y}") [ [ 1 2 ] [ 3 4 ] ]; expected = [ "13" "14" "23" "24" ]; };
  testUnique = { expr = lib.unique [ 3 1 3 2 1 ]; expected = [ 3 1 2 ]; };
  testUniqueStrings = { expr = lib.unique [ "b" "a" "b" "c" "a" ]; expected = [ "b" "a" "c" ]; };
  testUniqueMixed = { expr = lib.unique [ { a = 1; } 1 { a = 1; } "1" 1 ]; expected = [ { a = 1; } 1 "1" ]; };
  testUniqueEmpty = { expr = lib.unique [ ]; expected = [ ]; };
  testAllUnique = { expr = [ (lib.allUnique [ 1 2 ]) (lib.allUnique [ 1 1 ]) ]; expected = [ true false ]; };
  testIntersectLists = { expr = lib.intersectLists [ 1 2 3 ] [ 4 3 2 ]; expected = [ 3 2 ]; };
  testSubtractLists = { expr = lib.subtractLists [ 3 2 ] [ 1 2 3 4 5 3 ]; expected = [ 1 4 5 ]; };
  testMutuallyExclusive = { expr = [ (lib.mutuallyExclusive [ 1 2 ] [ 3 ]) (lib.mutuallyExclusive [ 1 2 ] [ 2 ]) ]; expected = [ true false ]; };
  testAnyAll = { expr = [ (lib.any (x: x > 2) [ 1 3 ]) (lib.all (x: x > 2) [ 1 3 ]) (lib.all (x: x) [ ]) ]; expected = [ true false true ]; };
  testForEach = { expr = lib.forEach [ 1 2 ] (x: x + 1); expected = [ 2 3 ]; };
  testSingleton = { expr = lib.singleton 1; expected = [ 1 ]; };

  ## strings

  testConcatStrings = { expr = lib.concatStrings [ "a" "b" "c" ]; expected = "abc"; };
  testConcatMapStrings = { expr = lib.concatMapStrings (x: x + ";") [ "a" "b" ]; expected = "a;b;"; };
  testConcatImapStrings = { expr = lib.concatImapStrings (i: x: "${toString i}${x}") [ "a" "b" ]; expected = "1a2b"; };
  testConcatStringsSep = { expr = lib.concatStringsSep "," [ "a" "b" ]; expected = "a,b"; };
  testConcatMapStringsSep = { expr = lib.concatMapStringsSep "-" (x: x + x) [ "a" "b" ]; expected = "aa-bb"; };
  testConcatImapStringsSep = { expr = lib.concatImapStringsSep "-" (i: x: "${x}${toString i}") [ "a" "b" ]; expected = "a1-b2"; };
  testConcatLines = { expr = lib.concatLines [ "a" "b" ]; expected = "a\nb\n"; };
  testConcatLinesEmpty = { expr = lib.concatLines [ ]; expected = ""; };
  testIntersperse = { expr = [ (lib.intersperse "/" [ "a" "b" "c" ]) (lib.intersperse "/" [ "a" ]) (lib.intersperse "/" [ ]) ]; expected = [ [ "a" "/" "b" "/" "c" ] [ "a" ] [ ] ]; };
  testStringsReplicate = { expr = lib.strings.replicate 3 "ab"; expected = "ababab"; };
  testTrim = { expr = map lib.trim [ "  a b \n" "" "   " "x" ]; expected = [ "a b" "" "" "x" ]; };
  testTrimWith = { expr = [ (lib.trimWith { start = true; } "  a  ") (lib.trimWith { end = true; } "  a  ") ]; expected = [ "a  " "  a" ]; };
  testSplitString = {
    expr = [ (lib.splitString "." "a.b.c") (lib.splitString "/" "/usr/bin/") (lib.splitString ", " "a, b") (lib.splitString "x" "") ];
    expected = [ [ "a" "b" "c" ] [ "" "usr" "bin" "" ] [ "a" "b" ] [ "" ] ];
  };
  testSplitStringRegexChars = { expr = lib.splitString "+" "a+b+c"; expected = [ "a" "b" "c" ]; };
  testHasPrefix = { expr = [ (lib.hasPrefix "foo" "foobar") (lib.hasPrefix "bar" "foobar") (lib.hasPrefix "" "x") ]; expected = [ true false true ]; };
  testHasSuffix = { expr = [ (lib.hasSuffix "bar" "foobar") (lib.hasSuffix "foo" "foobar") (lib.hasSuffix "toolong" "x") ]; expected = [ true false false ]; };
  testHasInfix = { expr = [ (lib.hasInfix "ob" "foobar") (lib.hasInfix "x" "foobar") (lib.hasInfix "a.b" "xa.bx") (lib.hasInfix "a.b" "xaxbx") (lib.hasInfix "\n" "a\nb") ]; expected = [ true false true false true ]; };
  testRemovePrefix = { expr = [ (lib.removePrefix "foo." "foo.bar") (lib.removePrefix "xxx" "foo.bar") ]; expected = [ "bar" "foo.bar" ]; };
  testRemoveSuffix = { expr = [ (lib.removeSuffix ".nix" "a.nix") (lib.removeSuffix "xxx" "a.nix") (lib.removeSuffix "long suffix" "x") ]; expected = [ "a" "a.nix" "x" ]; };
  testToUpperLower = { expr = [ (lib.toUpper "Hello World 1") (lib.toLower "Hello World 1") ]; expected = [ "HELLO WORLD 1" "hello world 1" ]; };
  testToSentenceCase = { expr = lib.strings.toSentenceCase "hELLO"; expected = "Hello"; };
  testStringToCharacters = { expr = lib.stringToCharacters "abc"; expected = [ "a" "b" "c" ]; };
  testStringAsChars = { expr = lib.stringAsChars (c: if c == "a" then "A" else c) "banana"; expected = "bAnAnA"; };
  testCharToInt = { expr = map lib.strings.charToInt [ "A" " " "~" "\n" ]; expected = [ 65 32 126 10 ]; };
  testEscape = { expr = lib.escape [ "(" ")" ] "(foo)"; expected = "\\(foo\\)"; };
  testEscapeC = { expr = lib.escapeC [ " " "\n" ] "a b\n"; expected = "a\\x20b\\x0a"; };
  testEscapeURL = { expr = lib.strings.escapeURL "a b/c?d=é"; expected = "a%20b%2Fc%3Fd%3Dé"; };
  testEscapeShellArg = {
    expr = map lib.escapeShellArg [ "plain" "with space" "it's" "" "a/b-c.d_e+f:g@h%i,j" "$HOME" ];
    expected = [ "plain" "'with space'" "'it'\\''s'" "''" "a/b-c.d_e+f:g@h%i,j" "'$HOME'" ];
  };
  testEscapeShellArgs = { expr = lib.escapeShellArgs [ "a" "b c" ]; expected = "a 'b c'"; };
  testEscapeNixString = { expr = lib.escapeNixString "a\"b\${c}"; expected = "\"a\\\"b\\\${c}\""; };
  testEscapeRegex = { expr = lib.escapeRegex "a.b*c[d]"; expected = "a\\.b\\*c\\[d]"; };
  testEscapeNixIdentifier = { expr = map lib.escapeNixIdentifier [ "foo" "foo-bar" "foo.bar" "1x" ]; expected = [ "foo" "foo-bar" "\"foo.bar\"" "\"1x\"" ]; };
  testEscapeXML = { expr = lib.escapeXML ''<a href="x">&'</a>''; expected = "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;"; };
  testIsValidPosixName = { expr = map lib.isValidPosixName [ "FOO_1" "_x" "1x" "a-b" ]; expected = [ true true false false ]; };
  testToShellVar = {
    expr = [ (lib.toShellVar "A" "x y") (lib.toShellVar "L" [ "a" "b c" ]) (lib.toShellVar "M" { k = "v w"; }) ];
    expected = [ "A='x y'" "declare -a L=(a 'b c')" "declare -A M=([k]='v w')" ];
  };
  testToShellVars = { expr = lib.toShellVars { A = "1"; B = [ "x" ]; }; expected = "A=1\ndeclare -a B=(x)"; };
  testToShellVarBadName = testFails (lib.toShellVar "a-b" "x");
  testMakeSearchPath = { expr = lib.makeSearchPath "bin" [ "/a" null "/b" ]; expected = "/a/bin:/b/bin"; };
  testMakeBinPath = { expr = lib.makeBinPath [ multiOutput (drv "plain") ]; expected = "${multiOutput.bin}/bin:${(drv "plain")}/bin"; };
  testMakeLibraryPath = { expr = lib.makeLibraryPath [ multiOutput ]; expected = "${multiOutput.lib}/lib"; };
  testNormalizePath = { expr = lib.strings.normalizePath "//a//b///c/"; expected = "/a/b/c/"; };
  testOptionalString = { expr = [ (lib.optionalString true "x") (lib.optionalString false "x") ]; expected = [ "x" "" ]; };
  testReplaceStrings = { expr = lib.replaceStrings [ "a" "b" ] [ "b" "c" ] "aabb"; expected = "bbcc"; };
  testVersionOlder = { expr = [ (lib.versionOlder "1.2" "1.10") (lib.versionAtLeast "1.10" "1.2") (lib.versionAtLeast "1.2" "1.2") ]; expected = [ true true true ]; };
  testGetNameVersion = {
    expr = [ (lib.getName "hello-2.12") (lib.getVersion "hello-2.12") (lib.getName { pname = "p"; name = "p-1"; }) (lib.getVersion (drv "foo-1.0")) ];
    expected = [ "hello" "2.12" "p" "1.0" ];
  };
  testNameFromURL = { expr = lib.nameFromURL "https://example.org/foo-1.2.tar.gz" "-"; expected = "foo"; };
  testEnableFeature = {
    expr = [ (lib.enableFeature true "x") (lib.enableFeature false "x") (lib.enableFeatureAs true "x" "v") (lib.withFeature false "y") (lib.withFeatureAs true "y" "z") ];
    expected = [ "--enable-x" "--disable-x" "--enable-x=v" "--without-y" "--with-y=z" ];
  };
  testFixedWidthString = { expr = [ (lib.fixedWidthString 5 "0" "12") (lib.fixedWidthNumber 3 7) (lib.fixedWidthString 2 "0" "12") ]; expected = [ "00012" "007" "12" ]; };
  testFixedWidthStringTooLong = testFails (lib.fixedWidthString 1 "0" "12");
  testIsStringLike = { expr = map lib.isStringLike [ "a" ./misc.nix { outPath = "x"; } { __toString = _: "x"; } 1 { } ]; expected = [ true true true true false false ]; };
  testIsConvertibleWithToString = { expr = map lib.isConvertibleWithToString [ 1 null true 1.5 [ 1 "a" ] { } ]; expected = [ true true true true true false ]; };
  testIsStorePath = {
    expr = map lib.isStorePath [
      "/nix/store/0fb3ykw9r5hpayd05sr0cizwadzq1d8q-bash-5.2"
      "/nix/store/0fb3ykw9r5hpayd05sr0cizwadzq1d8q-bash-5.2/bin/bash"
      "/nix/store"
      "nix/store/0fb3ykw9r5hpayd05sr0cizwadzq1d8q-bash"
      (drv "x")
    ];
    expected = [ true false false false true ];
  };
  testToInt = { expr = map lib.toInt [ "42" " 7 " "-3" "0" ]; expected = [ 42 7 (-3) 0 ]; };
  testToIntLeadingZero = testFails (lib.toInt "012");
  testToIntNotANumber = testFails (lib.toInt "4x");
  testToIntFloat = testFails (lib.toInt "1.5");
  testToIntBase10 = { expr = map lib.strings.toIntBase10 [ "012" "0" " 10 " "-007" ]; expected = [ 12 0 10 (-7) ]; };
  testFloatToString = { expr = lib.strings.floatToString 0.5; expected = "0.500000"; };
  testSanitizeDerivationName = {
    expr = map lib.strings.sanitizeDerivationName [ "hello-1.0" "..foo" "a b/c" "" (lib.concatStrings (lib.replicate 210 "x")) ];
    expected = [ "hello-1.0" "foo" "a-b-c" "unknown" (lib.concatStrings (lib.replicate 207 "x")) ];
  };
  testLevenshtein = {
    expr = map (p: lib.strings.levenshtein (builtins.elemAt p 0) (builtins.elemAt p 1)) [ [ "kitten" "sitting" ] [ "" "abc" ] [ "abc" "" ] [ "flaw" "lawn" ] [ "same" "same" ] ];
    expected = [ 3 3 3 2 0 ];
  };
  testLevenshteinAtMost = { expr = [ (lib.strings.levenshteinAtMost 2 "enable" "enabel") (lib.strings.levenshteinAtMost 1 "enable" "enabel") (lib.strings.levenshteinAtMost 2 "a" "abcd") ]; expected = [ true false false ]; };
  testAddContextFrom = { expr = builtins.hasContext (lib.addContextFrom "${builtins.toFile "f" "x"}" "y"); expected = true; };
  testSplitStringKeepsContext = { expr = builtins.hasContext (builtins.head (lib.splitString "-" "${builtins.toFile "f" "x"}-y")); expected = true; };

  ## attrsets

  testAttrByPath = { expr = [ (lib.attrByPath [ "a" "b" ] 0 { a.b = 1; }) (lib.attrByPath [ "a" "c" ] 0 { a.b = 1; }) (lib.attrByPath [ "a" "b" ] 0 { a = 1; }) (lib.attrByPath [ ] 0 { a = 1; }) ]; expected = [ 1 0 0 { a = 1; } ]; };
  testHasAttrByPath = { expr = [ (lib.hasAttrByPath [ "a" "b" ] { a.b = 1; }) (lib.hasAttrByPath [ "a" "c" ] { a.b = 1; }) (lib.hasAttrByPath [ ] { }) ]; expected = [ true false true ]; };
  testSetAttrByPath = { expr = [ (lib.setAttrByPath [ "a" "b" ] 1) (lib.setAttrByPath [ ] 1) ]; expected = [ { a.b = 1; } 1 ]; };
  testGetAttrFromPath = { expr = lib.getAttrFromPath [ "a" "b" ] { a.b = 1; }; expected = 1; };
  testConcatMapAttrs = { expr = lib.concatMapAttrs (n: v: { ${n} = v; "${n}2" = v * 2; }) { a = 1; b = 2; }; expected = { a = 1; a2 = 2; b = 2; b2 = 4; }; };
  testAttrVals = { expr = lib.attrVals [ "b" "a" ] { a = 1; b = 2; c = 3; }; expected = [ 2 1 ]; };
  testAttrValues = { expr = lib.attrValues { b = 2; a = 1; }; expected = [ 1 2 ]; };
  testGetAttrs = { expr = lib.getAttrs [ "a" ] { a = 1; b = 2; }; expected = { a = 1; }; };
  testCatAttrs = { expr = lib.catAttrs "a" [ { a = 1; } { b = 0; } { a = 2; } ]; expected = [ 1 2 ]; };
  testFilterAttrs = { expr = lib.filterAttrs (n: v: n != "a" && v > 1) { a = 5; b = 2; c = 1; }; expected = { b = 2; }; };
  testFilterAttrsRecursive = { expr = lib.filterAttrsRecursive (n: v: v != null) { a = null; b = { c = null; d = 1; }; }; expected = { b = { d = 1; }; }; };
  testFoldlAttrs = { expr = lib.foldlAttrs (acc: n: v: acc ++ [ "${n}${toString v}" ]) [ ] { b = 2; a = 1; }; expected = [ "a1" "b2" ]; };
  testFoldAttrs = { expr = lib.foldAttrs (x: acc: [ x ] ++ acc) [ ] [ { a = 1; } { a = 2; b = 3; } ]; expected = { a = [ 1 2 ]; b = [ 3 ]; }; };
  testCollect = { expr = lib.collect builtins.isInt { a = 1; b = { c = 2; d = "x"; }; }; expected = [ 1 2 ]; };
  testCollectDerivations = { expr = map (d: d.name) (lib.collect lib.isDerivation { x = drv "a"; y.z = drv "b"; }); expected = [ "a" "b" ]; };
  testCartesianProduct = { expr = lib.cartesianProduct { a = [ 1 2 ]; b = [ "x" ]; }; expected = [ { a = 1; b = "x"; } { a = 2; b = "x"; } ]; };
  testCartesianProductEmpty = { expr = lib.cartesianProduct { }; expected = [ { } ]; };
  testMapCartesianProduct = { expr = lib.mapCartesianProduct ({ a, b }: a + b) { a = [ 1 2 ]; b = [ 10 ]; }; expected = [ 11 12 ]; };
  testNameValuePair = { expr = lib.nameValuePair "a" 1; expected = { name = "a"; value = 1; }; };
  testMapAttrs = { expr = lib.mapAttrs (n: v: n + v) { a = "1"; }; expected = { a = "a1"; }; };
  testMapAttrs' = { expr = lib.mapAttrs' (n: v: lib.nameValuePair "x-${n}" (v + 1)) { a = 1; }; expected = { x-a = 2; }; };
  testMapAttrsToList = { expr = lib.mapAttrsToList (n: v: n + v) { b = "2"; a = "1"; }; expected = [ "a1" "b2" ]; };
  testAttrsToList = { expr = lib.attrsToList { a = 1; }; expected = [ { name = "a"; value = 1; } ]; };
  testMapAttrsRecursive = { expr = lib.mapAttrsRecursive (path: v: lib.concatStringsSep "." path + "=" + toString v) { a.b = 1; c = 2; }; expected = { a.b = "a.b=1"; c = "c=2"; }; };
  testMapAttrsRecursiveCond = {
    expr = lib.mapAttrsRecursiveCond (as: !(as ? stop)) (path: v: builtins.length path) { a = { stop = true; }; b.c = 1; };
    expected = { a = 1; b.c = 2; };
  };
  testGenAttrs = { expr = lib.genAttrs [ "a" "b" ] (n: n + n); expected = { a = "aa"; b = "bb"; }; };
  testIsDerivation = { expr = map lib.isDerivation [ (drv "x") { } { type = "other"; } ]; expected = [ true false false ]; };
  testOptionalAttrs = { expr = [ (lib.optionalAttrs true { a = 1; }) (lib.optionalAttrs false { a = 1; }) ]; expected = [ { a = 1; } { } ]; };
  testZipAttrsWithNames = { expr = lib.zipAttrsWithNames [ "a" ] (n: vs: vs) [ { a = 1; b = 2; } { a = 3; } ]; expected = { a = [ 1 3 ]; }; };
  testZipAttrsWith = { expr = lib.zipAttrsWith (n: vs: lib.foldl' builtins.add 0 vs) [ { a = 1; } { a = 2; b = 3; } ]; expected = { a = 3; b = 3; }; };
  testZipAttrs = { expr = lib.zipAttrs [ { a = 1; } { a = 2; } ]; expected = { a = [ 1 2 ]; }; };
  testMergeAttrsList = { expr = lib.mergeAttrsList [ { a = 1; b = 1; } { b = 2; } { c = 3; } { a = 4; } ]; expected = { a = 4; b = 2; c = 3; }; };
  testMergeAttrsListEmpty = { expr = lib.mergeAttrsList [ ]; expected = { }; };
  testRecursiveUpdate = {
    expr = lib.recursiveUpdate { a.b = 1; a.c = 2; d = 1; e = { x = 1; }; } { a.b = 10; d.e = 1; e = 5; f = 3; };
    expected = { a = { b = 10; c = 2; }; d = { e = 1; }; e = 5; f = 3; };
  };
  testRecursiveUpdateUntil = {
    expr = lib.recursiveUpdateUntil (path: l: r: path == [ "foo" ]) { foo.bar = 1; foo.baz = 2; bar = 3; } { foo.bar = 1; foo.quz = 2; baz = 4; };
    expected = { foo.bar = 1; foo.quz = 2; bar = 3; baz = 4; };
  };
  testMatchAttrs = { expr = [ (lib.matchAttrs { a.b = 1; } { a.b = 1; a.c = 2; x = 0; }) (lib.matchAttrs { a.b = 2; } { a.b = 1; }) (lib.matchAttrs { z = 1; } { }) ]; expected = [ true false false ]; };
  testOverrideExisting = { expr = lib.overrideExisting { a = 1; b = 2; } { a = 3; c = 4; }; expected = { a = 3; b = 2; }; };
  testShowAttrPath = { expr = [ (lib.showAttrPath [ "a" "b.c" ]) (lib.showAttrPath [ ]) ]; expected = [ "a.\"b.c\"" "<root attribute path>" ]; };
  testGetOutput = { expr = map (d: d.name) [ (lib.getBin multiOutput) (lib.getDev multiOutput) (lib.getLib (drv "single")) (lib.getMan multiOutput) ]; expected = [ "multi-bin" "multi-dev" "single" "multi" ]; };
  testRecurseIntoAttrs = { expr = lib.recurseIntoAttrs { a = 1; }; expected = { a = 1; recurseForDerivations = true; }; };
  testUnionOfDisjoint = { expr = lib.attrsets.unionOfDisjoint { a = 1; } { b = 2; }; expected = { a = 1; b = 2; }; };
  testUnionOfDisjointCollision = testFails (lib.attrsets.unionOfDisjoint { a = 1; } { a = 2; }).a;

  ## versions, meta, customisation, asserts, debug

  testVersions = {
    expr = with lib.versions; [ (major "1.2.3") (minor "1.2.3") (patch "1.2.3") (majorMinor "1.2.3") (pad 3 "1.2") (pad 2 "1.2.3-rc1") ];
    expected = [ "1" "2" "3" "1.2" "1.2.0" "1.2-rc1" ];
  };
  testGetExe = { expr = lib.getExe (drv "x" // { meta.mainProgram = "prog"; bin = drv "x-bin"; }); expected = "${drv "x-bin"}/bin/prog"; };
  testGetExe' = { expr = lib.getExe' (drv "tools") "tool"; expected = "${drv "tools"}/bin/tool"; };
  testLowPrio = { expr = (lib.lowPrio { meta.x = 1; }).meta; expected = { x = 1; priority = 10; }; };
  testCallPackageWith = {
    expr = let f = { a, b ? 2, c }: a + b + c; r = lib.callPackageWith { a = 1; b = 10; c = 100; d = 0; } f { c = 1000; }; in r;
    expected = 1011;
  };
  testCallPackageWithMissing = testFails (lib.callPackageWith { } ({ a }: a) { });
  testMakeOverridable = {
    expr = let f = lib.makeOverridable ({ a, b }: { sum = a + b; }) { a = 1; b = 2; }; in [ f.sum (f.override { b = 10; }).sum (f.override (old: { a = old.a * 5; })).sum ];
    expected = [ 3 11 7 ];
  };
  testMakeScope = {
    expr = let s = lib.makeScope (extra: lib.callPackageWith (s // extra)) (self: { a = 1; b = self.callPackage ({ a }: a + 1) { }; }); in s.b;
    expected = 2;
  };
  testAssertMsg = { expr = lib.assertMsg true "unused"; expected = true; };
  testAssertMsgFails = testFails (lib.assertMsg false "failed");
  testAssertOneOf = { expr = lib.assertOneOf "x" "a" [ "a" "b" ]; expected = true; };
  testAssertOneOfFails = testFails (lib.assertOneOf "x" "c" [ "a" "b" ]);
  testAssertEachOneOf = { expr = lib.assertEachOneOf "x" [ "a" ] [ "a" "b" ]; expected = true; };
  testCheckAssertWarn = { expr = lib.asserts.checkAssertWarn [ { assertion = true; message = "no"; } ] [ ] 1; expected = 1; };
  testCheckAssertWarnFails = testFails (lib.asserts.checkAssertWarn [ { assertion = false; message = "no"; } ] [ ] 1);
  testRunTestsReportsFailures = {
    expr = lib.runTests { testA = { expr = 1; expected = 2; }; testB = { expr = 1; expected = 1; }; notATest = { expr = 1; expected = 2; }; };
    expected = [ { name = "testA"; expected = 2; result = 1; } ];
  };
  testRunTestsSelected = {
    expr = lib.runTests { tests = [ "testB" ]; testA = { expr = 1; expected = 2; }; testB = { expr = 1; expected = 3; }; };
    expected = [ { name = "testB"; expected = 3; result = 1; } ];
  };

  ## generators

  testToPretty = {
    expr = lib.generators.toPretty { } {
      int = 1; float = 0.5; str = "a\"b"; multi = "x\ny"; bool = true; null = null;
      list = [ 1 [ ] ]; attrs = { "a.b" = { }; }; fun = { a, b ? 1 }: a; drv = drv "d";
    };
    expected = ''
      {
        attrs = {
          "a.b" = { };
        };
        bool = true;
        drv = <derivation d>;
        float = 0.500000;
        fun = <function, args: {a, b?}>;
        int = 1;
        list = [
          1
          [ ]
        ];
        multi = '''
          x
          y''';
        null = null;
        str = "a\"b";
      }'';
  };
  testToPrettySingleLine = { expr = lib.generators.toPretty { multiline = false; } { a = [ 1 2 ]; }; expected = "{ a = [ 1 2 ]; }"; };
  testToPrettyFunction = { expr = lib.generators.toPretty { } (x: x); expected = "<function>"; };
  testWithRecursion = {
    expr = lib.generators.toPretty { } (lib.generators.withRecursion { depthLimit = 1; throwOnDepthLimit = false; } { a.b.c = 1; });
    expected = "{\n  a = {\n    b = \"<unevaluated>\";\n  };\n}";
  };
  testToKeyValue = { expr = lib.generators.toKeyValue { } { a = 1; b = "x"; c = true; }; expected = "a=1\nb=x\nc=true\n"; };
  testToKeyValueDuplicates = { expr = lib.generators.toKeyValue { listsAsDuplicateKeys = true; } { a = [ 1 2 ]; }; expected = "a=1\na=2\n"; };
  testMkKeyValueDefault = { expr = lib.generators.mkKeyValueDefault { } ":" "a:b" 1; expected = "a\\:b:1"; };
  testToINI = { expr = lib.generators.toINI { } { main = { a = 1; }; "sec[x]" = { b = false; }; }; expected = "[main]\na=1\n\n[sec\\[x\\]]\nb=false\n"; };
  testToINIWithGlobalSection = {
    expr = lib.generators.toINIWithGlobalSection { } { globalSection = { g = 1; }; sections = { s = { k = "v"; }; }; };
    expected = "g=1\n\n[s]\nk=v\n";
  };
  testToJSON = { expr = lib.generators.toJSON { } { a = [ 1 ]; }; expected = ''{"a":[1]}''; };

  ## options

  testMkOption = { expr = lib.mkOption { default = 1; }; expected = { _type = "option"; default = 1; }; };
  testMkEnableOption = {
    expr = let o = lib.mkEnableOption "foo"; in [ o.default o.example o.description o.type.name ];
    expected = [ false true "Whether to enable foo." "bool" ];
  };
  testIsOption = { expr = [ (lib.isOption (lib.mkOption { })) (lib.isOption { }) ]; expected = [ true false ]; };
  testShowOption = {
    expr = map lib.showOption [ [ "a" "b" ] [ "environment" "etc" "resolv.conf" "text" ] [ "a" "<name>" "*" "<function body>" ] [ "l" "[definition 1-entry 2]" ] [ "x" "" ] ];
    expected = [ "a.b" "environment.etc.\"resolv.conf\".text" "a.<name>.*.<function body>" "l.[definition 1-entry 2]" "x.\"\"" ];
  };
  testShowFiles = { expr = lib.showFiles [ "a.nix" "b.nix" ]; expected = "`a.nix' and `b.nix'"; };
  testShowDefs = {
    expr = lib.options.showDefs [ { file = "a.nix"; value = 1; } { file = "b.nix"; line = 3; value = [ 1 2 ]; } { file = "c.nix"; value = throw "x"; } ];
    expected = "\n- In `a.nix': 1\n- In `b.nix:3':\n    [\n      1\n      2\n    ]\n- In `c.nix'";
  };
  testShowDefsLong = {
    expr = lib.options.showDefs [ { file = "a.nix"; value = lib.range 1 10; } ];
    expected = "\n- In `a.nix':\n    [\n      1\n      2\n      3\n      4\n    ...";
  };
  testShowDefsHuge = {
    expr = lib.options.showDefs [ { file = "a.nix"; value = lib.genAttrs (map toString (lib.range 1 10000)) (n: lib.range 1 1000); } ];
    expected = "\n- In `a.nix':\n    {\n      \"1\" = [\n        1\n        2\n        3\n    ...";
  };
  testShowDefsDeep = {
    expr = lib.options.showDefs [ { file = "a.nix"; value = lib.fix (self: { a = self; }); } ];
    expected = "\n- In `a.nix':\n    {\n      a = {\n        a = {\n          a = {\n            a = {\n    ...";
  };
  testMergeEqualOption = { expr = lib.mergeEqualOption [ "x" ] [ { file = "a"; value = 1; } { file = "b"; value = 1; } ]; expected = 1; };
  testMergeEqualOptionConflict = testFails (lib.mergeEqualOption [ "x" ] [ { file = "a"; value = 1; } { file = "b"; value = 2; } ]);
  testMergeOneOption = testFails (lib.mergeOneOption [ "x" ] [ { file = "a"; value = 1; } { file = "b"; value = 1; } ]);
  testMergeDefaultOption = {
    expr = map (vs: lib.mergeDefaultOption [ "x" ] (map (value: { file = "f"; inherit value; }) vs)) [ [ [ 1 ] [ 2 ] ] [ { a = 1; } { b = 2; } ] [ true false ] [ "a" "b" ] [ 3 3 ] ];
    expected = [ [ 1 2 ] { a = 1; b = 2; } true "ab" 3 ];
  };
  testGetValuesFiles = { expr = let defs = [ { file = "a"; value = 1; } ]; in [ (lib.getValues defs) (lib.getFiles defs) ]; expected = [ [ 1 ] [ "a" ] ]; };
  testLiteralExpression = { expr = lib.literalExpression "pkgs.hello"; expected = { _type = "literalExpression"; text = "pkgs.hello"; }; };
  testLiteralMD = { expr = lib.literalMD "*x*"; expected = { _type = "literalMD"; text = "*x*"; }; };
  testOptionAttrSetToDocList = {
    expr = map (o: { inherit (o) name type; default = o.default.text or null; }) (lib.optionAttrSetToDocList (lib.evalModules {
      modules = [ { options.a.b = lib.mkOption { type = lib.types.int; default = 1; description = "B."; }; options.c = lib.mkEnableOption "c"; } ];
    }).options);
    expected = [
      { name = "_module.args"; type = "lazy attribute set of raw value"; default = null; }
      { name = "_module.check"; type = "boolean"; default = "true"; }
      { name = "_module.freeformType"; type = "null or optionType"; default = "null"; }
      { name = "_module.specialArgs"; type = "unspecified value"; default = null; }
      { name = "a.b"; type = "signed integer"; default = "1"; }
      { name = "c"; type = "boolean"; default = "false"; }
    ];
  };

  ## modules (details the fixture tests do not reach)

  testMkProperties = {
    expr = [ (lib.mkIf true 1) (lib.mkMerge [ 1 ]) (lib.mkOverride 5 1) (lib.mkDefault 1).priority (lib.mkForce 1).priority (lib.mkOptionDefault 1).priority (lib.mkBefore 1).priority (lib.mkAfter 1).priority lib.defaultOverridePriority lib.defaultOrderPriority ];
    expected = [ { _type = "if"; condition = true; content = 1; } { _type = "merge"; contents = [ 1 ]; } { _type = "override"; priority = 5; content = 1; } 1000 50 1500 500 1500 100 1000 ];
  };
  testPushDownProperties = {
    expr = lib.pushDownProperties (lib.mkIf true { a = 1; b = lib.mkMerge [ 2 ]; });
    expected = [ { a = lib.mkIf true 1; b = lib.mkIf true (lib.mkMerge [ 2 ]); } ];
  };
  testDischargeProperties = { expr = lib.dischargeProperties (lib.mkMerge [ 1 (lib.mkIf false 2) (lib.mkIf true (lib.mkMerge [ 3 4 ])) ]); expected = [ 1 3 4 ]; };
  testFilterOverrides = {
    expr = lib.filterOverrides [ { file = "a"; value = lib.mkDefault 1; } { file = "b"; value = 2; } { file = "c"; value = lib.mkForce 3; } ];
    expected = [ { file = "c"; value = 3; } ];
  };
  testSortProperties = {
    expr = map (d: d.value) (lib.sortProperties [ { value = lib.mkAfter "z"; } { value = "m"; } { value = lib.mkBefore "a"; } { value = "n"; } ]);
    expected = [ "a" "m" "n" "z" ];
  };
  testMergeDefinitionsHighestPrio = {
    expr = (lib.modules.mergeDefinitions [ "x" ] lib.types.int [ { file = "a"; value = lib.mkDefault 1; } { file = "b"; value = lib.mkDefault 2; } { file = "c"; value = lib.mkIf false 3; } ]).defsFinal'.highestPrio;
    expected = 1000;
  };
  testEvalModulesResult = {
    expr = let r = lib.evalModules { modules = [ { options.x = lib.mkOption { default = 1; }; } ]; }; in [ r._type r.config r.class (r.type.name) (r._module.check) ];
    expected = [ "configuration" { x = 1; } null "submodule" true ];
  };
  testEvalModulesExtend = {
    expr = let r = lib.evalModules { modules = [ { options.x = lib.mkOption { default = 1; }; } ]; }; in (r.extendModules { modules = [ { x = 2; } ]; }).config.x;
    expected = 2;
  };
  testSetDefaultModuleLocation = { expr = lib.setDefaultModuleLocation "f.nix" { a = 1; }; expected = { _file = "f.nix"; imports = [ { a = 1; } ]; }; };
  testTypesCheck = {
    expr = with lib.types; [ (int.check 1) (str.check 1) (port.check 80) (port.check 70000) ((listOf int).check [ "x" ]) ((nullOr str).check null) ((enum [ 1 2 ]).check 3) (package.check (drv "x")) (path.check /tmp) (path.check "x") ];
    expected = [ true false true false true true false true true false ];
  };
  testTypeMergeListOfSubmodules = {
    expr = let t = (lib.types.listOf (lib.types.submodule { })).typeMerge (lib.types.listOf (lib.types.submodule { })).functor; in [ t.name (builtins.length t.getSubModules) ];
    expected = [ "listOf" 2 ];
  };
  testTypeMergeIncompatible = { expr = lib.types.int.typeMerge lib.types.str.functor; expected = null; };
  testIsType = { expr = [ (lib.isType "option-type" lib.types.int) (lib.types.isOptionType lib.types.str) (lib.isOptionType 1) ]; expected = [ true true false ]; };
}
