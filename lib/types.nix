# Option types: what a definition must look like (check) and how several
# definitions combine (merge).
#
# A type is a set with _type = "option-type" made by mkOptionType. Besides
# check and merge it carries:
#   - description / descriptionClass: the text users see ("list of string");
#   - emptyValue: { value = …; } for types that have a natural empty value
#     (lazyAttrsOf uses it for attributes whose definitions all vanish);
#   - getSubOptions / getSubModules / substSubModules: the options inside
#     submodule-like types, for documentation and for declaration merging;
#   - functor / typeMerge: how two declarations of one option with
#     compatible types merge into one type (listOf (submodule a) and
#     listOf (submodule b) become listOf (submodule [a b])).
{ lib }:
let
  inherit (builtins)
    isAttrs isList isString isBool isInt isFloat isPath length head tail filter map
    concatLists concatStringsSep foldl' all any elem attrNames mapAttrs
    zipAttrsWith match substring typeOf toJSON intersectAttrs unsafeGetAttrPos
    hasContext;
  inherit (lib.options)
    mergeDefaultOption mergeOneOption mergeEqualOption mergeUniqueOption showOption
    showFiles getFiles getValues;
  inherit (lib.lists) imap1 last;
  inherit (lib.strings) isStringLike isStorePath hasInfix;
  inherit (lib.attrsets) isDerivation toDerivation optionalAttrs;
  inherit (lib.trivial) isFunction;

  mergeDefinitions = lib.modules.mergeDefinitions;

  # The line of attribute name in the set defined by def: where it was
  # written when that is in def's file, else the line of def itself (for
  # sets computed by functions).
  attrLine = def: name:
    let p = unsafeGetAttrPos name def.value;
    in if p != null && p.file == def.file then p.line else def.line or null;

  # The definitions of each attribute of a list of attribute-set
  # definitions: name -> [ { file; value; line; } ].
  attrDefinitions = defs:
    zipAttrsWith (_: vs: vs) (map
      (def: mapAttrs (n: v: { inherit (def) file; value = v; line = attrLine def n; }) def.value)
      defs);

  types = rec {
    isType = type: x: (x._type or "") == type;

    setType = typeName: value: value // { _type = typeName; };

    isOptionType = isType "option-type";

    # The default functor of a type: merging two declarations gives back
    # `type` when neither has a payload or wrapped type.
    defaultFunctor = name: {
      inherit name;
      type = types.${name} or null;
      wrapped = null;
      payload = null;
      binOp = _: _: null;
    };

    # Merges the functors of two types of the same name: through their
    # wrapped element types, or their payloads; null when they do not merge.
    defaultTypeMerge = f: f':
      if f.name != f'.name then null
      else if f.payload != null && f'.payload != null then
        let p = f.binOp f.payload f'.payload;
        in if p == null then null else f.type p
      else if f.wrapped != null && f'.wrapped != null then
        let w = f.wrapped.typeMerge f'.wrapped.functor;
        in if w == null then null else f.type w
      else if f.payload == null && f'.payload == null && f.wrapped == null && f'.wrapped == null
      then f.type
      else null;

    mkOptionType =
      { name
      , description ? null
      , descriptionClass ? null
      , check ? (_: true)
      , merge ? mergeDefaultOption
      , emptyValue ? { }
      , getSubOptions ? _: { }
      , getSubModules ? null
      , substSubModules ? _: null
      , typeMerge ? defaultTypeMerge functor
      , functor ? defaultFunctor name
      , deprecationMessage ? null
      , nestedTypes ? { }
      }:
      {
        _type = "option-type";
        inherit name check merge emptyValue getSubOptions getSubModules substSubModules
          typeMerge functor deprecationMessage nestedTypes descriptionClass;
        description = if description == null then name else description;
      };

    # A type's description, parenthesised unless its class passes the test:
    # "list of (null or string)" but "list of string".
    optionDescriptionPhrase = unparenthesize: t:
      if unparenthesize (t.descriptionClass or null) then t.description else "(${t.description})";

    # t with an additional check.
    addCheck = elemType: check: elemType // { check = x: elemType.check x && check x; };

    ## Scalars

    raw = mkOptionType {
      name = "raw";
      description = "raw value";
      descriptionClass = "noun";
      merge = mergeOneOption;
    };

    anything = mkOptionType {
      name = "anything";
      description = "anything";
      descriptionClass = "noun";
      merge = loc: defs:
        let
          kind = v: if isAttrs v && isStringLike v then "stringCoercibleSet" else typeOf v;
          first = kind (head defs).value;
          common = foldl'
            (k: def:
              if kind def.value == k then k
              else throw "The option `${showOption loc}' has conflicting option types in ${showFiles (getFiles defs)}")
            first
            defs;
        in
        if common == "lambda" then
          arg: anything.merge (loc ++ [ "<function body>" ]) (map (def: def // { value = def.value arg; }) defs)
        else if common == "list" then
          if length defs > 1
          then throw "The option `${showOption loc}' has conflicting definitions, in ${showFiles (getFiles defs)}."
          else (listOf anything).merge loc defs
        else if common == "set" then (attrsOf anything).merge loc defs
        else if common == "stringCoercibleSet" then mergeOneOption loc defs
        else mergeEqualOption loc defs;
    };

    unspecified = mkOptionType {
      name = "unspecified";
      description = "unspecified value";
      descriptionClass = "noun";
    };

    bool = mkOptionType {
      name = "bool";
      description = "boolean";
      descriptionClass = "noun";
      check = isBool;
      merge = mergeEqualOption;
    };

    # A boolean that is true when any definition is.
    boolByOr = mkOptionType {
      name = "boolByOr";
      description = "boolean (merged using or)";
      descriptionClass = "noun";
      check = isBool;
      merge = _: defs: any (def: def.value) defs;
    };

    int = mkOptionType {
      name = "int";
      description = "signed integer";
      descriptionClass = "noun";
      check = isInt;
      merge = mergeEqualOption;
    };

    ints =
      let
        range = lo: hi: "${toString lo} and ${toString hi} (both inclusive)";
        # An integer type limited to [lo, hi].
        ranged = name: description: lo: hi: int // {
          inherit name description;
          check = x: isInt x && x >= lo && x <= hi;
          functor = defaultFunctor name // {
            type = p: ranged name description p.lo p.hi;
            payload = { inherit lo hi; };
            binOp = a: b: if a == b then a else null;
          };
        };
        unsign = bits: lo: hi: ranged "unsignedInt${toString bits}" "${toString bits} bit unsigned integer; between ${range lo hi}" lo hi;
        sign = bits: lo: hi: ranged "signedInt${toString bits}" "${toString bits} bit signed integer; between ${range lo hi}" lo hi;
      in
      {
        between = lo: hi:
          assert lib.asserts.assertMsg (lo <= hi) "ints.between: lowest must be smaller than highest";
          ranged "intBetween" "integer between ${range lo hi}" lo hi;

        unsigned = addCheck int (x: x >= 0) // {
          name = "unsignedInt";
          description = "unsigned integer, meaning >=0";
          descriptionClass = "nonRestrictiveClause";
        };
        positive = addCheck int (x: x > 0) // {
          name = "positiveInt";
          description = "positive integer, meaning >0";
          descriptionClass = "nonRestrictiveClause";
        };

        u8 = unsign 8 0 255;
        u16 = unsign 16 0 65535;
        u32 = unsign 32 0 4294967295;
        s8 = sign 8 (-128) 127;
        s16 = sign 16 (-32768) 32767;
        s32 = sign 32 (-2147483648) 2147483647;
      };

    # A TCP/UDP port number.
    port = ints.u16;

    float = mkOptionType {
      name = "float";
      description = "floating point number";
      descriptionClass = "noun";
      check = isFloat;
      merge = mergeEqualOption;
    };

    number = either int float;

    numbers = {
      between = lo: hi:
        assert lib.asserts.assertMsg (lo <= hi) "numbers.between: lowest must be smaller than highest";
        addCheck number (x: x >= lo && x <= hi) // {
          name = "numberBetween";
          description = "integer or floating point number between ${toString lo} and ${toString hi} (both inclusive)";
        };
      nonnegative = addCheck number (x: x >= 0) // {
        name = "numberNonnegative";
        description = "nonnegative integer or floating point number, meaning >=0";
      };
      positive = addCheck number (x: x > 0) // {
        name = "numberPositive";
        description = "positive integer or floating point number, meaning >0";
      };
    };

    str = mkOptionType {
      name = "str";
      description = "string";
      descriptionClass = "noun";
      check = isString;
      merge = mergeEqualOption;
    };

    nonEmptyStr = mkOptionType {
      name = "nonEmptyStr";
      description = "non-empty string";
      descriptionClass = "noun";
      check = x: str.check x && match "[ \t\n]*" x == null;
      inherit (str) merge;
    };

    # A string of one line; one trailing newline is accepted and removed.
    singleLineStr =
      let inherit (strMatching "[^\n\r]*\n?") check merge;
      in mkOptionType {
        name = "singleLineStr";
        description = "(optionally newline-terminated) single-line string";
        descriptionClass = "noun";
        inherit check;
        merge = loc: defs: lib.strings.removeSuffix "\n" (merge loc defs);
      };

    strMatching = pattern: mkOptionType {
      name = "strMatching ${lib.strings.escapeNixString pattern}";
      description = "string matching the pattern ${pattern}";
      descriptionClass = "noun";
      check = x: str.check x && match pattern x != null;
      inherit (str) merge;
      functor = defaultFunctor "strMatching" // {
        type = strMatching;
        payload = pattern;
        binOp = a: b: if a == b then a else null;
      };
    };

    # Strings joined with sep, in definition order (mkOrder respected).
    separatedString = sep: mkOptionType {
      name = "separatedString";
      description =
        if sep == "" then "Concatenated string"
        else "strings concatenated with ${toJSON sep}";
      descriptionClass = "noun";
      check = isString;
      merge = _: defs: concatStringsSep sep (getValues defs);
      functor = defaultFunctor "separatedString" // {
        type = separatedString;
        payload = sep;
        binOp = a: b: if a == b then a else null;
      };
    };

    lines = separatedString "\n";
    commas = separatedString ",";
    envVar = separatedString ":";

    # Deprecated: use str, lines, or separatedString.
    string = separatedString "" // {
      name = "string";
      deprecationMessage = "See https://github.com/NixOS/nixpkgs/pull/66346 for better alternative types.";
    };

    # A string for /etc/passwd-like files: no colons, no newlines.
    passwdEntry = entryType: addCheck entryType (s: !(hasInfix ":" s || hasInfix "\n" s)) // {
      name = "passwdEntry ${entryType.name}";
      description = "${optionDescriptionPhrase (class: class == "noun") entryType}, not containing newlines or colons";
      descriptionClass = "nonRestrictiveClause";
    };

    attrs = mkOptionType {
      name = "attrs";
      description = "attribute set";
      check = isAttrs;
      merge = _: foldl' (res: def: res // def.value) { };
      emptyValue = { value = { }; };
    };

    # A derivation or a store path; a plain path string becomes a
    # derivation-like set.
    package = mkOptionType {
      name = "package";
      descriptionClass = "noun";
      check = x: isDerivation x || isStorePath x;
      merge = loc: defs:
        let res = mergeOneOption loc defs;
        in if isPath res || (isString res && !hasContext res) then toDerivation res else res;
    };

    shellPackage = package // {
      check = x: isDerivation x && x ? shellPath;
    };

    # An absolute path (a path value or a string starting with "/").
    path = mkOptionType {
      name = "path";
      descriptionClass = "noun";
      check = x: isStringLike x && substring 0 1 (toString x) == "/";
      merge = mergeEqualOption;
    };

    # A path inside the Nix store (not the store directory itself).
    pathInStore = mkOptionType {
      name = "pathInStore";
      description = "path in the Nix store";
      descriptionClass = "noun";
      check = x: isStringLike x && match "${builtins.storeDir}/[^.].*" (toString x) != null;
      merge = mergeEqualOption;
    };

    # An absolute path outside the Nix store.
    externalPath = mkOptionType {
      name = "externalPath";
      description = "absolute path, not pointing to the Nix store";
      descriptionClass = "noun";
      check = x: path.check x && !(pathInStore.check x) && toString x != builtins.storeDir;
      merge = mergeEqualOption;
    };

    ## Compound types

    listOf = elemType: mkOptionType {
      name = "listOf";
      description = "list of ${optionDescriptionPhrase (class: class == "noun" || class == "composite") elemType}";
      descriptionClass = "composite";
      check = isList;
      # Every element is merged on its own, so elements may be mkIf, and
      # submodule elements are evaluated.
      merge = loc: defs:
        map (x: x.value) (filter (x: x ? value) (concatLists (imap1
          (n: def: imap1
            (m: el: (mergeDefinitions (loc ++ [ "[definition ${toString n}-entry ${toString m}]" ]) elemType [ { inherit (def) file; value = el; line = def.line or null; } ]).optionalValue)
            def.value)
          defs)));
      emptyValue = { value = [ ]; };
      getSubOptions = prefix: elemType.getSubOptions (prefix ++ [ "*" ]);
      getSubModules = elemType.getSubModules;
      substSubModules = m: listOf (elemType.substSubModules m);
      functor = defaultFunctor "listOf" // { wrapped = elemType; };
      nestedTypes.elemType = elemType;
    };

    nonEmptyListOf = elemType:
      let list = addCheck (listOf elemType) (l: l != [ ]);
      in list // {
        description = "non-empty ${optionDescriptionPhrase (class: class == "noun") list}";
        emptyValue = { };
        substSubModules = m: nonEmptyListOf (elemType.substSubModules m);
      };

    # Attribute sets whose values have type elemType. With lazy, attributes
    # are merged only when read (values may then not be mkIf-removed: an
    # attribute whose definitions all vanish gets elemType's emptyValue).
    attrsWith = { elemType, lazy ? false, placeholder ? "name" }: mkOptionType {
      name = if lazy then "lazyAttrsOf" else "attrsOf";
      description = (if lazy then "lazy attribute set" else "attribute set")
        + " of ${optionDescriptionPhrase (class: class == "noun" || class == "composite") elemType}";
      descriptionClass = "composite";
      check = isAttrs;
      merge =
        if lazy then
          loc: defs: mapAttrs
            (name: defs:
              let merged = mergeDefinitions (loc ++ [ name ]) elemType defs;
              in merged.optionalValue.value or elemType.emptyValue.value or merged.mergedValue)
            (attrDefinitions defs)
        else
          loc: defs:
            let merged = mapAttrs (name: defs: mergeDefinitions (loc ++ [ name ]) elemType defs) (attrDefinitions defs);
            in mapAttrs (_: m: m.mergedValue) (lib.attrsets.filterAttrs (_: m: m.isDefined) merged);
      emptyValue = { value = { }; };
      getSubOptions = prefix: elemType.getSubOptions (prefix ++ [ "<${placeholder}>" ]);
      getSubModules = elemType.getSubModules;
      substSubModules = m: attrsWith { elemType = elemType.substSubModules m; inherit lazy placeholder; };
      functor = defaultFunctor (if lazy then "lazyAttrsOf" else "attrsOf") // {
        type = e: attrsWith { elemType = e; inherit lazy placeholder; };
        wrapped = elemType;
      };
      nestedTypes.elemType = elemType;
    };

    attrsOf = elemType: attrsWith { inherit elemType; };
    lazyAttrsOf = elemType: attrsWith { inherit elemType; lazy = true; };

    # Only one definition is allowed; message says why.
    unique = { message }: type: mkOptionType {
      name = "unique";
      inherit (type) description descriptionClass check emptyValue getSubOptions getSubModules;
      merge = mergeUniqueOption { inherit message; inherit (type) merge; };
      substSubModules = m: unique { inherit message; } (type.substSubModules m);
      functor = defaultFunctor "unique" // { type = unique { inherit message; }; wrapped = type; };
      nestedTypes.elemType = type;
    };

    uniq = unique { message = ""; };

    # null, or a value of elemType; mixing null and non-null definitions is
    # an error.
    nullOr = elemType: mkOptionType {
      name = "nullOr";
      description = "null or ${optionDescriptionPhrase (class: class == "noun" || class == "conjunction") elemType}";
      descriptionClass = "conjunction";
      check = x: x == null || elemType.check x;
      merge = loc: defs:
        let nulls = lib.lists.count (def: def.value == null) defs;
        in
        if nulls == length defs then null
        else if nulls != 0 then
          throw "The option `${showOption loc}' is defined both null and not null, in ${showFiles (getFiles defs)}."
        else elemType.merge loc defs;
      emptyValue = { value = null; };
      getSubOptions = elemType.getSubOptions;
      getSubModules = elemType.getSubModules;
      substSubModules = m: nullOr (elemType.substSubModules m);
      functor = defaultFunctor "nullOr" // { wrapped = elemType; };
      nestedTypes.elemType = elemType;
    };

    # Functions whose results (for the same argument) are merged as
    # elemType.
    functionTo = elemType: mkOptionType {
      name = "functionTo";
      description = "function that evaluates to a(n) ${optionDescriptionPhrase (class: class == "noun" || class == "composite") elemType}";
      descriptionClass = "composite";
      check = isFunction;
      merge = loc: defs: fnArgs:
        (mergeDefinitions (loc ++ [ "<function body>" ]) elemType
          (map (fn: fn // { value = fn.value fnArgs; }) defs)).mergedValue;
      getSubOptions = prefix: elemType.getSubOptions (prefix ++ [ "<function body>" ]);
      getSubModules = elemType.getSubModules;
      substSubModules = m: functionTo (elemType.substSubModules m);
      functor = defaultFunctor "functionTo" // { wrapped = elemType; };
      nestedTypes.elemType = elemType;
    };

    # A value of one of the types (a union).
    either = t1: t2: mkOptionType rec {
      name = "either";
      description =
        if t1.descriptionClass or null == "nonRestrictiveClause"
        then "${t1.description} or ${optionDescriptionPhrase (class: class == "noun" || class == "conjunction" || class == "composite") t2}"
        else "${optionDescriptionPhrase (class: class == "noun" || class == "conjunction") t1} or ${optionDescriptionPhrase (class: class == "noun" || class == "conjunction" || class == "composite") t2}";
      descriptionClass = "conjunction";
      check = x: t1.check x || t2.check x;
      merge = loc: defs:
        let values = getValues defs;
        in
        if all t1.check values then t1.merge loc defs
        else if all t2.check values then t2.merge loc defs
        else mergeOneOption loc defs;
      typeMerge = f':
        let
          mt1 = t1.typeMerge (head f'.wrapped).functor;
          mt2 = t2.typeMerge (lib.lists.last f'.wrapped).functor;
        in
        if name == f'.name && mt1 != null && mt2 != null then either mt1 mt2 else null;
      functor = defaultFunctor name // { wrapped = [ t1 t2 ]; };
      nestedTypes.left = t1;
      nestedTypes.right = t2;
    };

    oneOf = ts:
      if ts == [ ] then throw "types.oneOf needs to get at least one type in its argument"
      else foldl' either (head ts) (tail ts);

    # One of the given values.
    enum = values:
      let
        show = v:
          if isString v then ''"${v}"''
          else if isInt v then toString v
          else if isBool v then lib.trivial.boolToString v
          else "<${typeOf v}>";
      in
      mkOptionType {
        name = "enum";
        description =
          if values == [ ] then "impossible (empty enum)"
          else if tail values == [ ] then "value ${show (head values)} (singular enum)"
          else "one of ${concatStringsSep ", " (map show values)}";
        descriptionClass = if length values < 2 then "noun" else "conjunction";
        check = x: elem x values;
        merge = mergeEqualOption;
        functor = defaultFunctor "enum" // {
          type = enum;
          payload = values;
          binOp = a: b: lib.lists.unique (a ++ b);
        };
      };

    # finalType, also accepting coercedType values, which coerceFunc
    # converts.
    coercedTo = coercedType: coerceFunc: finalType:
      assert lib.asserts.assertMsg (coercedType.getSubModules == null)
        "coercedTo: coercedType must not have submodules (it's a ${coercedType.description})";
      mkOptionType {
        name = "coercedTo";
        description = "${optionDescriptionPhrase (class: class == "noun") finalType} or ${optionDescriptionPhrase (class: class == "noun") coercedType} convertible to it";
        check = x: (coercedType.check x && finalType.check (coerceFunc x)) || finalType.check x;
        merge = loc: defs:
          finalType.merge loc (map (def: if coercedType.check def.value then def // { value = coerceFunc def.value; } else def) defs);
        emptyValue = finalType.emptyValue;
        getSubOptions = finalType.getSubOptions;
        getSubModules = finalType.getSubModules;
        substSubModules = m: coercedTo coercedType coerceFunc (finalType.substSubModules m);
        typeMerge = _: null;
        functor = defaultFunctor "coercedTo" // { wrapped = finalType; };
        nestedTypes.coercedType = coercedType;
        nestedTypes.finalType = finalType;
      };

    ## Modules as types

    # A set of options evaluated as a module set of its own, once per
    # definition site: submodule { options.x = mkOption { … }; }.
    submodule = modules: submoduleWith {
      shorthandOnlyDefinesConfig = true;
      modules = lib.lists.toList modules;
    };

    submoduleWith =
      { modules
      , specialArgs ? { }
      , shorthandOnlyDefinesConfig ? false
      , description ? null
      , class ? null
      } @ attrs:
      let
        # Definitions become modules; with shorthandOnlyDefinesConfig a plain
        # set defines config only (no imports/options keys).
        defsAsModules = defs: map
          (def:
            if isAttrs def.value && shorthandOnlyDefinesConfig == true
            then { _file = def.file; config = def.value; }
            else { _file = def.file; imports = [ def.value ]; })
          defs;

        base = lib.modules.evalModules {
          inherit class specialArgs;
          modules = [ { _module.args.name = lib.modules.mkOptionDefault "‹name›"; } ] ++ modules;
        };

        freeformType = base._module.freeformType;

        name = "submodule";
      in
      mkOptionType {
        inherit name;
        description = if description != null then description else freeformType.description or name;
        check = x: isAttrs x || isFunction x || path.check x;
        merge = loc: defs:
          (base.extendModules {
            modules = [ { _module.args.name = last loc; } ] ++ defsAsModules defs;
            prefix = loc;
          }).config;
        emptyValue = { value = { }; };
        getSubOptions = prefix:
          (base.extendModules { inherit prefix; }).options
          // optionalAttrs (freeformType != null) { _freeformOptions = freeformType.getSubOptions prefix; };
        getSubModules = modules;
        substSubModules = m: submoduleWith (attrs // { modules = m; });
        nestedTypes = optionalAttrs (freeformType != null) { inherit freeformType; };
        functor = defaultFunctor name // {
          type = submoduleWith;
          payload = { inherit modules class specialArgs shorthandOnlyDefinesConfig description; };
          binOp = lhs: rhs:
            let
              # Two settings of one field agree, or one of them is unset.
              agree = field: what:
                let l = lhs.${field}; r = rhs.${field};
                in
                if l == null then r
                else if r == null then l
                else if l == r then l
                else throw "A submoduleWith option is declared multiple times with conflicting ${what}";
            in
            {
              modules = lhs.modules ++ rhs.modules;
              specialArgs =
                let both = intersectAttrs lhs.specialArgs rhs.specialArgs;
                in
                if both == { } then lhs.specialArgs // rhs.specialArgs
                else throw "A submoduleWith option is declared multiple times with the same specialArgs \"${toString (attrNames both)}\"";
              shorthandOnlyDefinesConfig = agree "shorthandOnlyDefinesConfig" "shorthandOnlyDefinesConfig values";
              description = agree "description" "descriptions";
              class = agree "class" "class values \"${toString lhs.class}\" and \"${toString rhs.class}\".";
            };
        };
      };

    # A module kept as a value (to be imported elsewhere); definitions are
    # merged by importing them all.
    deferredModule = deferredModuleWith { };

    deferredModuleWith = { staticModules ? [ ] } @ attrs: mkOptionType {
      name = "deferredModule";
      description = "module";
      descriptionClass = "noun";
      check = x: isAttrs x || isFunction x || path.check x;
      merge = loc: defs: {
        imports = staticModules
          ++ map (def: lib.modules.setDefaultModuleLocation "${def.file}, via option ${showOption loc}" def.value) defs;
      };
      inherit (submoduleWith { modules = staticModules; }) getSubOptions;
      getSubModules = staticModules;
      substSubModules = m: deferredModuleWith (attrs // { staticModules = m; });
      functor = defaultFunctor "deferredModuleWith" // {
        type = deferredModuleWith;
        payload = { inherit staticModules; };
        binOp = lhs: rhs: { staticModules = lhs.staticModules ++ rhs.staticModules; };
      };
    };

    # A type as a value (freeformType is one); several definitions merge like
    # declarations of one option.
    optionType = mkOptionType {
      name = "optionType";
      description = "optionType";
      descriptionClass = "noun";
      check = value: value._type or null == "option-type";
      merge = loc: defs:
        if length defs == 1 then (head defs).value
        else
          let
            decls = map (def: { _file = def.file; pos = null; options = lib.options.mkOption { type = def.value; }; }) defs;
          in
          (lib.modules.fixupOptionType loc (lib.modules.mergeOptionDecls loc decls)).type;
    };
  };
in
types
