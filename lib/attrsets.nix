# Functions on attribute sets.
{ lib }:
let
  inherit (builtins)
    attrNames attrValues listToAttrs mapAttrs isAttrs length head tail
    elemAt concatMap foldl' filter map zipAttrsWith catAttrs removeAttrs
    intersectAttrs concatStringsSep;
in
rec {
  inherit (builtins)
    attrNames attrValues listToAttrs mapAttrs zipAttrsWith catAttrs removeAttrs
    intersectAttrs hasAttr getAttr;

  # The value at attrPath in set, or default when a component is missing.
  attrByPath = attrPath: default: set:
    let
      n = length attrPath;
      go = i: s:
        if i == n then s
        else
          let name = elemAt attrPath i;
          in if isAttrs s && s ? ${name} then go (i + 1) s.${name} else default;
    in
    go 0 set;

  # Whether every component of attrPath exists in e.
  hasAttrByPath = attrPath: e:
    let
      n = length attrPath;
      go = i: s:
        i == n || (let name = elemAt attrPath i; in isAttrs s && s ? ${name} && go (i + 1) s.${name});
    in
    go 0 e;

  # A nested set holding value at attrPath: setAttrByPath ["a" "b"] 1 == { a.b = 1; }.
  setAttrByPath = attrPath: value:
    let
      n = length attrPath;
      go = i: if i == n then value else { ${elemAt attrPath i} = go (i + 1); };
    in
    go 0;

  # The value at attrPath, failing when it does not exist.
  getAttrFromPath = attrPath: set:
    attrByPath attrPath (abort ("cannot find attribute `" + concatStringsSep "." attrPath + "'")) set;

  # Maps every attribute to a set and merges the results (later wins).
  concatMapAttrs = f: v: mergeAttrsList (attrValues (mapAttrs f v));

  # The values of the named attributes, in order.
  attrVals = nameList: set: map (x: set.${x}) nameList;

  # The sub-set with the given names (all must exist).
  getAttrs = names: attrs: genAttrs names (name: attrs.${name});

  # The attributes for which pred name value holds.
  filterAttrs = pred: set:
    removeAttrs set (filter (name: !(pred name set.${name})) (attrNames set));

  # filterAttrs applied recursively to nested sets.
  filterAttrsRecursive = pred: set:
    listToAttrs (concatMap
      (name:
        let v = set.${name};
        in
        if pred name v then
          [ (nameValuePair name (if isAttrs v then filterAttrsRecursive pred v else v)) ]
        else [ ])
      (attrNames set));

  # Left fold over the attributes in name order: f acc name value.
  foldlAttrs = f: init: set: foldl' (acc: name: f acc name set.${name}) init (attrNames set);

  # Folds the values of every name across a list of sets:
  # foldAttrs op nul [{a=1;} {a=2;}] == { a = op 1 (op 2 nul); }.
  foldAttrs = op: nul: list_of_attrs:
    zipAttrsWith (_: values: lib.lists.foldr op nul values) list_of_attrs;

  # Every value (recursively) satisfying pred, not descending into matches.
  collect = pred: attrs:
    if pred attrs then [ attrs ]
    else if isAttrs attrs then concatMap (collect pred) (attrValues attrs)
    else [ ];

  # Every combination of one element of each list:
  # cartesianProduct { a = [1 2]; b = [3]; } == [ {a=1;b=3;} {a=2;b=3;} ].
  cartesianProduct = attrsOfLists:
    foldl'
      (listOfAttrs: attrName:
        concatMap (attrs: map (listValue: attrs // { ${attrName} = listValue; }) attrsOfLists.${attrName}) listOfAttrs)
      [ { } ]
      (attrNames attrsOfLists);

  mapCartesianProduct = f: attrsOfLists: map f (cartesianProduct attrsOfLists);

  nameValuePair = name: value: { inherit name value; };

  # Maps every attribute to a name-value pair: mapAttrs' f set.
  mapAttrs' = f: set: listToAttrs (map (attr: f attr set.${attr}) (attrNames set));

  mapAttrsToList = f: attrs: map (name: f name attrs.${name}) (attrNames attrs);

  # Deprecated alias of mapAttrsToList.
  mapAttrsFlatten = mapAttrsToList;

  attrsToList = mapAttrsToList nameValuePair;

  # Maps the leaves of a nested set: f path value.
  mapAttrsRecursive = mapAttrsRecursiveCond (_: true);

  # Like mapAttrsRecursive, descending only into sets where cond holds.
  mapAttrsRecursiveCond = cond: f: set:
    let
      recurse = path: mapAttrs (name: value:
        if isAttrs value && cond value then recurse (path ++ [ name ]) value
        else f (path ++ [ name ]) value);
    in
    recurse [ ] set;

  # A set from names, each mapped by f.
  genAttrs = names: f: listToAttrs (map (n: nameValuePair n (f n)) names);

  isDerivation = value: value.type or null == "derivation";

  # A derivation-like set for an existing store path.
  toDerivation = path:
    let
      path' = builtins.storePath path;
      res = {
        type = "derivation";
        name = lib.strings.sanitizeDerivationName (builtins.substring 33 (-1) (baseNameOf path'));
        outPath = path';
        outputs = [ "out" ];
        out = res;
        outputName = "out";
      };
    in
    res;

  optionalAttrs = cond: as: if cond then as else { };

  # For each name, f name (the values of that name in the sets that have it).
  zipAttrsWithNames = names: f: sets:
    listToAttrs (map (name: { inherit name; value = f name (catAttrs name sets); }) names);

  # zipAttrsWith collecting the values into lists.
  zipAttrs = zipAttrsWith (_: values: values);

  # Merges a list of sets, later ones winning; balanced, so O(n log n).
  mergeAttrsList = list:
    let
      go = start: n:
        if n == 0 then { }
        else if n == 1 then elemAt list start
        else let h = n / 2; in go start h // go (start + h) (n - h);
    in
    go 0 (length list);

  # Merges rhs into lhs recursively until pred path lhs rhs holds, where rhs
  # wins outright.
  recursiveUpdateUntil = pred: lhs: rhs:
    let
      f = attrPath: zipAttrsWith (n: values:
        let here = attrPath ++ [ n ];
        in
        if tail values == [ ] || pred here (elemAt values 1) (head values)
        then head values
        else f here values);
    in
    f [ ] [ rhs lhs ];

  # Merges nested sets, rhs winning for everything that is not a set on
  # both sides.
  recursiveUpdate = recursiveUpdateUntil (_: lhs: rhs: !(isAttrs lhs && isAttrs rhs));

  # Whether attrs contains pattern (recursively for nested sets).
  matchAttrs = pattern: attrs:
    assert isAttrs pattern;
    lib.lists.all
      (attr:
        attrs ? ${attr} && (
          let lhs = pattern.${attr}; rhs = attrs.${attr};
          in if isAttrs lhs then isAttrs rhs && matchAttrs lhs rhs else lhs == rhs))
      (attrNames pattern);

  # old with the attributes that also exist in new replaced by new's.
  overrideExisting = old: new: mapAttrs (name: value: new.${name} or value) old;

  # An attribute path as Nix would write it.
  showAttrPath = path:
    if path == [ ] then "<root attribute path>"
    else lib.strings.concatMapStringsSep "." lib.strings.escapeNixIdentifier path;

  # The given output of a package, or the package itself.
  getOutput = output: pkg:
    if !(pkg ? outputSpecified) || !pkg.outputSpecified
    then pkg.${output} or pkg.out or pkg
    else pkg;

  getBin = getOutput "bin";
  getLib = getOutput "lib";
  getDev = getOutput "dev";
  getMan = getOutput "man";

  chooseDevOutputs = map getDev;

  recurseIntoAttrs = attrs: attrs // { recurseForDerivations = true; };
  dontRecurseIntoAttrs = attrs: attrs // { recurseForDerivations = false; };

  # x // y, failing on access to any name both have.
  unionOfDisjoint = x: y:
    let
      intersection = intersectAttrs x y;
      collisions = concatStringsSep " " (attrNames intersection);
      mask = mapAttrs (name: _: throw "unionOfDisjoint: collision on ${name}; complete list: ${collisions}") intersection;
    in
    (x // y) // mask;
}
