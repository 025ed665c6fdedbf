# Functions on lists.
{ lib }:
let
  inherit (builtins)
    head tail length elemAt genList filter map foldl' concatLists concatMap
    elem any all sort isList isString isInt partition;
in
rec {
  inherit (builtins)
    head tail length elemAt genList filter map foldl' concatLists concatMap
    elem any all sort isList partition;

  # A list with one element.
  singleton = x: [ x ];

  # map with the arguments flipped.
  forEach = xs: f: map f xs;

  # Right fold: foldr op nul [x1 x2 x3] == op x1 (op x2 (op x3 nul)).
  foldr = op: nul: list:
    let
      len = length list;
      go = n: if n == len then nul else op (elemAt list n) (go (n + 1));
    in
    go 0;

  # Deprecated alias of foldr.
  fold = foldr;

  # Lazy left fold: foldl op nul [x1 x2] == op (op nul x1) x2.
  foldl = op: nul: list:
    let go = n: if n == -1 then nul else op (go (n - 1)) (elemAt list n);
    in go (length list - 1);

  # foldr with the index of each element (from 0).
  ifoldr = op: nul: list:
    let
      len = length list;
      go = n: if n == len then nul else op n (elemAt list n) (go (n + 1));
    in
    go 0;

  # map with the index of each element, from 0 or from 1.
  imap0 = f: list: genList (n: f n (elemAt list n)) (length list);
  imap1 = f: list: genList (n: f (n + 1) (elemAt list n)) (length list);

  # filter with the index of each element, from 0.
  ifilter0 = ipred: list:
    map (i: elemAt list i) (filter (i: ipred i (elemAt list i)) (genList (i: i) (length list)));

  # concatMap with the index of each element, from 1 / from 0.
  concatImap1 = f: list: concatLists (imap1 f list);

  # Flattens nested lists: flatten [1 [2 [3]] 4] == [1 2 3 4].
  flatten = x: if isList x then concatMap flatten x else [ x ];

  # The list without the elements equal to e.
  remove = e: filter (x: x != e);

  # The single element satisfying pred, `default` if none, `multiple` if
  # several.
  findSingle = pred: default: multiple: list:
    let found = filter pred list; n = length found;
    in if n == 0 then default else if n != 1 then multiple else head found;

  # The index of the first element satisfying pred, or default.
  findFirstIndex = pred: default: list:
    let
      len = length list;
      go = i: if i == len then default else if pred (elemAt list i) then i else go (i + 1);
    in
    go 0;

  # The first element satisfying pred, or default.
  findFirst = pred: default: list:
    let i = findFirstIndex pred null list;
    in if i == null then default else elemAt list i;

  # The number of elements satisfying pred.
  count = pred: foldl' (c: x: if pred x then c + 1 else c) 0;

  optional = cond: elem: if cond then [ elem ] else [ ];
  optionals = cond: elems: if cond then elems else [ ];

  # x if it is a list, else [ x ].
  toList = x: if isList x then x else [ x ];

  # The integers from first to last, inclusive.
  range = first: last:
    if first > last then [ ] else genList (n: first + n) (last - first + 1);

  # n copies of elem.
  replicate = n: elem: genList (_: elem) n;

  # Groups elements by the string key `pred` gives them, folding each group
  # with op from nul: groupBy' op nul pred list.
  groupBy' = op: nul: pred: lst: builtins.mapAttrs (_: foldl' op nul) (builtins.groupBy pred lst);

  groupBy = builtins.groupBy;

  # Combines two lists element by element, up to the shorter length.
  zipListsWith = f: fst: snd:
    genList (n: f (elemAt fst n) (elemAt snd n)) (lib.trivial.min (length fst) (length snd));

  zipLists = zipListsWith (fst: snd: { inherit fst snd; });

  reverseList = xs:
    let l = length xs; in genList (n: elemAt xs (l - n - 1)) l;

  # Depth-first search from the first element: { visited, rest } or, when a
  # cycle is found, { cycle, loops, visited, rest }.
  listDfs = stopOnCycles: before: list:
    let
      dfs' = us: visited: rest:
        let
          c = filter (x: before x us) visited;
          b = partition (x: before x us) rest;
        in
        if stopOnCycles && (length c > 0)
        then { cycle = us; loops = c; inherit visited rest; }
        else if length b.right == 0
        then { minimal = us; inherit visited rest; }
        else dfs' (head b.right) ([ us ] ++ visited) (tail b.right ++ b.wrong);
    in
    dfs' (head list) [ ] (tail list);

  # Topological sort by the relation `before a b` (a must come before b):
  # { result } or { cycle; loops; } when the relation has a cycle.
  toposort = before: list:
    let
      dfsthis = listDfs true before list;
      toporest = toposort before (dfsthis.visited ++ dfsthis.rest);
    in
    if length list < 2 then { result = list; }
    else if dfsthis ? cycle then { cycle = reverseList ([ dfsthis.cycle ] ++ dfsthis.visited); inherit (dfsthis) loops; }
    else if toporest ? cycle then toporest
    else { result = [ dfsthis.minimal ] ++ toporest.result; };

  # Sorts by a key computed once per element.
  sortOn = f: list:
    map (p: p.v) (sort (a: b: a.k < b.k) (map (v: { inherit v; k = f v; }) list));

  # Lexicographic comparison of two lists with an element comparator
  # returning -1, 0 or 1.
  compareLists = cmp: a: b:
    if a == [ ] then (if b == [ ] then 0 else -1)
    else if b == [ ] then 1
    else
      let rel = cmp (head a) (head b);
      in if rel == 0 then compareLists cmp (tail a) (tail b) else rel;

  # Sorts strings so that embedded numbers compare by value ("a2" < "a10").
  naturalSort = lst:
    let
      vectorise = s: map (x: if isList x then builtins.fromJSON (head x) else x) (builtins.split "(0|[1-9][0-9]*)" s);
      prepared = map (x: [ (vectorise x) x ]) lst;
      less = a: b: (compareLists lib.trivial.compare (head a) (head b)) < 0;
    in
    map (x: elemAt x 1) (sort less prepared);

  # The first `count` elements.
  take = count: sublist 0 count;

  # The list without its first `count` elements.
  drop = count: list: sublist count (length list) list;

  # The last / all but the last `count` elements.
  takeEnd = n: xs: drop (lib.trivial.max 0 (length xs - n)) xs;
  dropEnd = n: xs: take (lib.trivial.max 0 (length xs - n)) xs;

  # Whether list1 is a prefix of list2.
  hasPrefix = list1: list2: take (length list1) list2 == list1;

  # list2 without the prefix list1, which must be one.
  removePrefix = list1: list2:
    if hasPrefix list1 list2 then drop (length list1) list2
    else throw "lib.lists.removePrefix: First argument is not a list prefix of the second argument";

  # The longest common prefix of two lists.
  commonPrefix = list1: list2:
    let
      n = lib.trivial.min (length list1) (length list2);
      go = i: if i < n && elemAt list1 i == elemAt list2 i then go (i + 1) else i;
    in
    take (go 0) list1;

  # `count` elements starting at index `start` (clamped to the list).
  sublist = start: count: list:
    let len = length list;
    in
    genList (n: elemAt list (n + start))
      (if start >= len then 0
       else if start + count > len then len - start
       else count);

  # The last element of a non-empty list.
  last = list:
    assert lib.assertMsg (list != [ ]) "lists.last: list must not be empty!";
    elemAt list (length list - 1);

  # All but the last element of a non-empty list.
  init = list:
    assert lib.assertMsg (list != [ ]) "lists.init: list must not be empty!";
    take (length list - 1) list;

  # The cartesian product of lists, as a list of lists.
  crossLists = f: foldl' (fs: args: concatMap (f: map f args) fs) [ f ];

  # The list without repeated elements, keeping first occurrences. Lists of
  # strings or of integers are deduplicated in O(n log n); others in O(n²).
  unique = list:
    if list == [ ] then [ ]
    else if all isString list || all isInt list
    then map (x: x.key) (builtins.genericClosure { startSet = map (key: { inherit key; }) list; operator = _: [ ]; })
    else foldl' (acc: e: if elem e acc then acc else acc ++ [ e ]) [ ] list;

  # Whether every element differs from every other.
  allUnique = list: length (unique list) == length list;

  # The elements of e that are also in the first list.
  intersectLists = e: filter (x: elem x e);

  # The elements of e that are not in the first list.
  subtractLists = e: filter (x: !(elem x e));

  # Whether two lists have no element in common.
  mutuallyExclusive = a: b: a == [ ] || !(any (x: elem x a) b);

}
