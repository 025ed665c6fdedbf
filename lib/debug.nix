# Tracing and the runTests harness.
{ lib }:
let
  inherit (builtins) trace deepSeq isAttrs isList attrNames filter concatMap;
in
rec {
  # Traces msg when pred holds, then returns x.
  traceIf = pred: msg: x: if pred then trace msg x else x;

  # Traces f x and returns x.
  traceValFn = f: x: trace (f x) x;
  traceVal = traceValFn (x: x);

  # Traces x fully evaluated, then returns y.
  traceSeq = x: y: trace (deepSeq x x) y;

  # Traces x evaluated to depth levels, then returns y.
  traceSeqN = depth: x: y:
    let
      snip = v:
        if isList v then "[ … ]"
        else if isAttrs v then "{ … }"
        else v;
      modify = n: fn: v: if n == 0 then fn v else if isList v then map (modify (n - 1) fn) v else if isAttrs v then builtins.mapAttrs (_: modify (n - 1) fn) v else v;
    in
    trace (deepSeq (modify depth snip x) (modify depth snip x)) y;

  traceValSeqFn = f: v: traceValFn f (deepSeq v v);
  traceValSeq = traceValSeqFn (x: x);
  traceValSeqNFn = f: depth: v: traceSeqN depth (f v) v;
  traceValSeqN = traceValSeqNFn (x: x);

  # Traces the arguments and result of a two-argument function.
  traceFnSeqN = depth: name: f: v:
    let res = f v;
    in traceSeqN (depth + 1) { fn = name; from = v; to = res; } res;

  # Runs a set of tests named test* (each { expr; expected; }) and returns
  # the failures as [ { name; expected; result; } ]; a `tests` attribute
  # restricts the run to the named tests.
  runTests = tests:
    concatMap
      (name:
        let test = tests.${name};
        in
        if builtins.substring 0 4 name == "test" && (!(tests ? tests) || builtins.elem name tests.tests)
          && test.expr != test.expected
        then [ { inherit name; expected = test.expected; result = test.expr; } ]
        else [ ])
      (filter (n: n != "tests") (attrNames tests));

  # Whether every element of a list of booleans holds, as a runTests case.
  testAllTrue = expr: { inherit expr; expected = map (_: true) expr; };
}
