# The module system: evalModules and the properties (mkIf, mkMerge,
# mkOverride, mkOrder) that definitions may carry.
#
# Evaluation in brief:
#   1. collect: load every module (applying functions to their arguments),
#      follow `imports`, drop `disabledModules` and duplicate keys;
#   2. merge: walk the option tree level by level, pairing each declared
#      option with its definitions (mkMerge/mkIf/mkOverride pushed down into
#      attribute sets lazily, so a condition may read `config`);
#   3. per option: discharge mkMerge/mkIf, keep the definitions of the
#      highest priority (lowest number), sort by mkOrder, check each against
#      the type, merge, apply;
#   4. definitions that match no declared option are an error, unless a
#      freeform type takes them.
# `config` is the fixed point: modules receive it before it is computed and
# only the values they read are evaluated.
{ lib }:
let
  inherit (builtins)
    isAttrs isList isString isBool length head tail filter map concatMap concatLists
    concatStringsSep foldl' all any attrNames mapAttrs zipAttrsWith removeAttrs
    listToAttrs genericClosure addErrorContext unsafeGetAttrPos sort typeOf seq
    substring;
  inherit (lib.options)
    isOption mkOption showOption showFiles showDefs unknownModule;
  inherit (lib.lists) imap1 reverseList optional;
  inherit (lib.attrsets) setAttrByPath getAttrFromPath attrByPath mapAttrsRecursiveCond recursiveUpdate optionalAttrs;
  inherit (lib.trivial) warnIf min;

  types = lib.types;

  # The line of attribute name in set, when it was written in file: the
  # line errors show next to a definition's file.
  defLine = file: set: name:
    let p = unsafeGetAttrPos name set;
    in if p != null && p.file == file then p.line else null;

  isProperty = v: isAttrs v && v ? _type;

  # The options every evaluation has (shared by all evaluations).
  internalOptions = {
    _module.args = lib.options.mkOption {
      type = types.lazyAttrsOf types.raw;
      internal = true;
      description = "Additional arguments passed to each module, besides lib, config, options and specialArgs (pkgs in NixOS). Not usable in imports: use specialArgs for that.";
    };
    _module.check = lib.options.mkOption {
      type = types.bool;
      internal = true;
      default = true;
      description = "Whether to check that every defined option is declared.";
    };
    _module.freeformType = lib.options.mkOption {
      type = types.nullOr types.optionType;
      internal = true;
      default = null;
      description = "A type for definitions that match no declared option; they are merged with it into config.";
    };
    _module.specialArgs = lib.options.mkOption {
      readOnly = true;
      internal = true;
      description = "The specialArgs given to evalModules.";
    };
  };
in
rec {
  ## Priorities and properties

  defaultOverridePriority = 100;
  # Deprecated name of defaultOverridePriority.
  defaultPriority = defaultOverridePriority;
  defaultOrderPriority = 1000;

  # Defines content only when condition (a boolean) holds.
  mkIf = condition: content: { _type = "if"; inherit condition content; };

  # Several definitions at once.
  mkMerge = contents: { _type = "merge"; inherit contents; };

  # A definition with a priority: the lowest number wins.
  mkOverride = priority: content: { _type = "override"; inherit priority content; };

  mkOptionDefault = mkOverride 1500; # what an option's `default` gets
  mkDefault = mkOverride 1000;
  mkImageMediaOverride = mkOverride 60;
  mkForce = mkOverride 50;
  mkVMOverride = mkOverride 10;

  # Identity; kept for old modules.
  mkFixStrictness = x: x;

  # A definition placed by priority within list-like merges.
  mkOrder = priority: content: { _type = "order"; inherit priority content; };
  mkBefore = mkOrder 500;
  mkAfter = mkOrder 1500;

  # Defines, at the place this is used, the definitions of another option
  # (keeping their priorities with the WithPriority variant).
  mkAliasDefinitions = mkAliasAndWrapDefinitions (x: x);
  mkAliasAndWrapDefinitions = wrap: option:
    mkAliasIfDef option (wrap (mkMerge option.definitions));
  mkAliasAndWrapDefsWithPriority = wrap: option:
    let
      prio = option.highestPrio or defaultOverridePriority;
      defsWithPrio = map (mkOverride prio) option.definitions;
    in
    mkAliasIfDef option (wrap (mkMerge defsWithPrio));
  mkAliasIfDef = option: mkIf (isOption option && option.isDefined);

  # Turns a definition (possibly mkMerge / mkIf) into the list of plain
  # values it stands for.
  dischargeProperties = def:
    let t = def._type or "";
    in
    if t == "merge" then concatMap dischargeProperties def.contents
    else if t == "if" then
      if isBool def.condition then
        if def.condition then dischargeProperties def.content else [ ]
      else throw "mkIf called with a non-Boolean condition"
    else [ def ];

  # Pushes mkMerge / mkIf / mkOverride of an attribute set down into its
  # attributes, without evaluating conditions:
  #   mkIf c { a = 1; b = 2; }  ->  [ { a = mkIf c 1; b = mkIf c 2; } ]
  pushDownProperties = cfg: map (x: x.config) (pushDown cfg);

  # pushDownProperties, remembering for each resulting set the set its
  # attribute names were written in (`src`), for positions.
  pushDown = cfg:
    let t = cfg._type or "";
    in
    if t == "merge" then concatMap pushDown cfg.contents
    else if t == "if" then
      map (x: { config = mapAttrs (_: mkIf cfg.condition) x.config; inherit (x) src; }) (pushDown cfg.content)
    else if t == "override" then
      map (x: { config = mapAttrs (_: mkOverride cfg.priority) x.config; inherit (x) src; }) (pushDown cfg.content)
    else [ { config = cfg; src = cfg; } ];

  # Keeps the definitions of the highest priority (lowest number), without
  # their mkOverride wrappers: { values; highestPrio; }.
  filterOverrides' = defs:
    let
      prio = def: if def.value._type or "" == "override" then def.value.priority else defaultOverridePriority;
      highestPrio = foldl' (p: def: min (prio def) p) 9999 defs;
      strip = def: if def.value._type or "" == "override" then def // { value = def.value.content; } else def;
    in
    {
      values = concatMap (def: if prio def == highestPrio then [ (strip def) ] else [ ]) defs;
      inherit highestPrio;
    };

  filterOverrides = defs: (filterOverrides' defs).values;

  # Sorts definitions by mkOrder priority (stable), removing the wrappers.
  sortProperties = defs:
    let
      strip = def:
        if def.value._type or "" == "order"
        then def // { value = def.value.content; inherit (def.value) priority; }
        else def;
      before = a: b: (a.priority or defaultOrderPriority) < (b.priority or defaultOrderPriority);
    in
    sort before (map strip defs);

  ## Merging definitions of one option

  # The merge pipeline of one option: { defsFinal, defsFinal', mergedValue,
  # isDefined, optionalValue }.
  mergeDefinitions = loc: type: defs: rec {
    defsFinal' =
      let
        discharged = concatMap
          (def:
            if isProperty def.value then
              map (value: def // { inherit value; })
                (addErrorContext "while evaluating definitions from `${def.file}':" (dischargeProperties def.value))
            else [ def ])
          defs;
        filtered = filterOverrides' discharged;
        values =
          if any (def: def.value._type or "" == "order") filtered.values
          then sortProperties filtered.values
          else filtered.values;
      in
      { inherit values; inherit (filtered) highestPrio; };

    defsFinal = defsFinal'.values;

    mergedValue =
      if isDefined then
        if all (def: type.check def.value) defsFinal then type.merge loc defsFinal
        else
          let bad = filter (def: !type.check def.value) defsFinal;
          in throw "A definition for option `${showOption loc}' is not of type `${type.description}'. Definition values:${showDefs bad}"
      else
        throw "The option `${showOption loc}' is used but not defined.";

    isDefined = defsFinal != [ ];

    optionalValue = if isDefined then { value = mergedValue; } else { };
  };

  # The option record of a declared option: its declaration fields plus
  # value, isDefined, highestPrio, definitions, files,
  # definitionsWithLocations.
  evalOptionValue = loc: opt: defs:
    let
      defaultDef = {
        file = head opt.declarations;
        value = mkOptionDefault opt.default;
        line = (head opt.declarationPositions).line or null;
      };
      defs' = optional (opt ? default) defaultDef ++ defs;
      res =
        if opt.readOnly or false == true && length defs' > 1 then
          let separate = map (def: def // { value = (mergeDefinitions loc opt.type [ def ]).mergedValue; }) defs';
          in throw "The option `${showOption loc}' is read-only, but it's set multiple times. Definition values:${showDefs separate}"
        else mergeDefinitions loc opt.type defs';
      value = if opt ? apply then opt.apply res.mergedValue else res.mergedValue;
      warnDeprecation =
        warnIf (opt.type.deprecationMessage != null)
          "The type `types.${opt.type.name}' of option `${showOption loc}' defined in ${showFiles opt.declarations} is deprecated. ${opt.type.deprecationMessage}";
    in
    warnDeprecation opt // {
      value = addErrorContext "while evaluating the option `${showOption loc}':" value;
      inherit (res.defsFinal') highestPrio;
      definitions = map (def: def.value) res.defsFinal;
      files = map (def: def.file) res.defsFinal;
      definitionsWithLocations = res.defsFinal;
      inherit (res) isDefined;
      __toString = _: showOption loc;
    };

  ## Declarations

  # Merges the declarations of one option ({ _file; pos; options; } with
  # options a mkOption set): at most one may set each of default, example,
  # description, apply, and types must merge.
  mergeOptionDecls = loc: opts:
    if tail opts == [ ] then
      # The common case, without the fold.
      let
        opt = head opts;
        subModules = opt.options.type.getSubModules or null;
      in
      opt.options // {
        inherit loc;
        declarations = [ opt._file ];
        declarationPositions = [ (declarationPosition opt) ];
        options = if subModules != null then map (setDefaultModuleLocation opt._file) subModules else [ ];
      }
    else
    foldl'
      (res: opt:
        let
          bothHave = k: opt.options ? ${k} && res ? ${k};
          mergedType = res.type.typeMerge opt.options.type.functor;
          typesMergeable = mergedType != null;
        in
        if bothHave "default" || bothHave "example" || bothHave "description" || bothHave "apply"
          || (bothHave "type" && !typesMergeable)
        then throw "The option `${showOption loc}' in `${opt._file}' is already declared in ${showFiles res.declarations}."
        else
          let
            subModules = opt.options.type.getSubModules or null;
            options =
              if subModules != null
              then map (setDefaultModuleLocation opt._file) subModules ++ res.options
              else res.options;
          in
          opt.options // res // {
            declarations = res.declarations ++ [ opt._file ];
            declarationPositions = res.declarationPositions ++ [ (declarationPosition opt) ];
            inherit options;
          } // optionalAttrs (bothHave "type") { type = mergedType; })
      { inherit loc; declarations = [ ]; declarationPositions = [ ]; options = [ ]; }
      opts;

  # Where a declaration is: its attribute's position when written in the
  # module's file, else just the file (options made by functions).
  declarationPosition = decl:
    if decl.pos != null && decl.pos.file == decl._file then decl.pos
    else { file = decl._file; line = null; column = null; };

  # Gives a merged declaration its final type: unspecified when none was
  # given; submodule types get the modules of every declaration.
  fixupOptionType = loc: opt:
    if opt.type.getSubModules or null == null
    then opt // { type = opt.type or types.unspecified; }
    else opt // { type = opt.type.substSubModules opt.options; options = [ ]; };

  # Options declared below a submodule option become options of the
  # submodule.
  optionTreeToOption = decl:
    if isOption decl.options then decl
    else decl // {
      options = mkOption {
        type = types.submoduleWith {
          modules = [ { options = decl.options; } ];
          shorthandOnlyDefinesConfig = null;
        };
      };
    };

  ## Loading modules

  # Sets the file of a module that does not set its own.
  setDefaultModuleLocation = file: m: { _file = file; imports = [ m ]; };

  # Calls a module function with the arguments it names: the fixed ones
  # (lib, config, options, specialArgs, _class and specialArgs' members),
  # else config._module.args.<name>.
  applyModuleArgs = key: f: args:
    let
      context = name: ''while evaluating the module argument `${name}' in "${key}":'';
      extraArgs = mapAttrs
        (name: _: addErrorContext (context name) (args.${name} or args.config._module.args.${name}))
        (lib.trivial.functionArgs f);
    in
    f (args // extraArgs);

  applyModuleArgsIfFunction = key: f: args:
    if lib.trivial.isFunction f then applyModuleArgs key f args else f;

  # Why a value cannot be a module.
  notAModule = file: m:
    let
      t = m._type;
      hint =
        if t == "flake" then " It looks like a flake; import one of its modules instead, for example flake.nixosModules.default."
        else if t == "configuration" then " It is the result of evalModules; if you do intend to import this configuration, please only import the modules that make up the configuration (for example by putting them in a list you can import)."
        else "";
    in
    "Could not load a value as a module, because it is of type ${lib.strings.escapeNixString t}, in file ${toString file}.${hint}";

  # Loads one module (path, function or set) into the unified form
  # { _file; key; _class; imports; disabledModules; options; config; }.
  loadModule = args: fallbackFile: fallbackKey: m:
    if lib.trivial.isFunction m then
      unifyModuleSyntax fallbackFile fallbackKey (applyModuleArgs fallbackKey m args)
    else if isAttrs m && !(m ? outPath) then
      let t = m._type or "module";
      in
      if t == "module" then unifyModuleSyntax fallbackFile fallbackKey m
      else if t == "if" || t == "merge" || t == "override" then
        unifyModuleSyntax fallbackFile fallbackKey { config = m; }
      else throw (notAModule fallbackFile m)
    else if isList m then
      throw "Module imports can't be nested lists. Perhaps you meant to remove one level of lists? Definitions:${showDefs [ { file = fallbackFile; value = m; } ]}"
    else
      let file = toString m;
      in unifyModuleSyntax file file (applyModuleArgsIfFunction file (import m) args);

  # The unified form of a module set, given its fallback file and key.
  unifyModuleSyntax = file: key: m:
    let
      addMeta = config: if m ? meta then mkMerge [ config { meta = m.meta; } ] else config;
      addFreeformType = config:
        if m ? freeformType then mkMerge [ config { _module.freeformType = m.freeformType; } ] else config;
      common = {
        _file = toString (m._file or file);
        _class = m._class or null;
        key = toString (m.key or key);
        disabledModules = m.disabledModules or [ ];
      };
      structuredKeys = [ "_class" "_file" "key" "disabledModules" "imports" "options" "config" "meta" "freeformType" ];
    in
    if !(isAttrs m) then
      throw "module ${file} (${key}) does not look like a module."
    else if m ? config || m ? options then
      let bad = attrNames (removeAttrs m structuredKeys);
      in
      if bad != [ ] then
        throw "Module `${key}' has an unsupported attribute `${head bad}'. This is caused by introducing a top-level `config' or `options' attribute. Add configuration attributes immediately on the top level instead, or move all of them (namely: ${toString bad}) into the explicit `config' attribute."
      else common // {
        imports = m.imports or [ ];
        options = m.options or { };
        config = addFreeformType (addMeta (m.config or { }));
      }
    else common // {
      imports = m.require or [ ] ++ m.imports or [ ];
      options = { };
      config = addFreeformType (removeAttrs m [ "_class" "_file" "key" "disabledModules" "require" "imports" "freeformType" ]);
    };

  # The modules of a configuration, imports followed and disabledModules
  # and duplicate keys removed, in breadth-first order.
  collectModules = class: modulesPath: initialModules: args:
    let
      checkClass =
        if class == null then m: m
        else m:
          if m._class == null || m._class == class then m
          else throw "The module ${m._file} was imported into ${class} instead of ${m._class}.";

      # [ { key; module; modules; disabled; } ] for a list of imports.
      collect = parentFile: parentKey: imports:
        imap1
          (n: x:
            let
              module = checkClass (loadModule args parentFile "${parentKey}:anon-${toString n}" x);
              children = collect module._file module.key module.imports;
            in
            {
              inherit (module) key;
              inherit module;
              modules = children;
              disabled =
                optional (module.disabledModules != [ ]) { file = module._file; disabled = module.disabledModules; }
                ++ concatMap (c: c.disabled) children;
            })
          imports;

      records = collect unknownModule "" initialModules;

      # The key a disabledModules entry refers to.
      disabledKey = file: m:
        if isString m then
          if substring 0 1 m == "/" then m else toString modulesPath + "/" + m
        else if lib.strings.isConvertibleWithToString m then
          if m ? key && m.key != toString m
          then throw "Module `${file}' contains a disabledModules item that is an attribute set that can be converted to a string (${toString m}) but also has a `key' attribute (${m.key}) with a different value. This makes it ambiguous which module should be disabled."
          else toString m
        else if m ? key then toString m.key
        else if isAttrs m then
          throw "Module `${file}' contains a disabledModules item that is an attribute set, presumably a module, that does not have a `key' attribute. Without a key the module system cannot tell which module to disable: give a path, a string relative to modulesPath, or an attribute set with a `key' attribute."
        else
          throw "Each disabledModules item must be a path, string, or an attribute set with a key attribute, or a value supported by toString. However, one of the disabledModules items in `${toString file}' is none of that, but is of type ${typeOf m}.";

      disabled = concatMap (r: r.disabled) records;
      disabledKeys = listToAttrs (concatMap
        ({ file, disabled }: map (m: { name = disabledKey file m; value = true; }) disabled)
        disabled);
      keep = if disabled == [ ] then (rs: rs) else filter (r: !(disabledKeys ? ${r.key}));
    in
    map (r: r.module) (genericClosure {
      startSet = keep records;
      operator = r: keep r.modules;
    });

  ## Merging the option tree

  # Pairs declarations with definitions over a list of unified modules:
  # { matchedOptions; unmatchedDefns; } where matchedOptions is the tree of
  # option records and unmatchedDefns lists definitions of undeclared
  # options ({ file; prefix; value; line; }).
  mergeModules = prefix: modules:
    mergeModules' prefix modules
      (concatMap (m: map (x: { file = m._file; inherit (x) config src; }) (pushDown m.config)) modules);

  # One level of the option tree. modules: [ { _file; options; pos?; } ]
  # with options the declarations at this level; configs:
  # [ { file; config; src; } ] the definitions at this level.
  mergeModules' = prefix: modules: configs:
    let
      declsByName = zipAttrsWith (_: decls: decls) (map
        (module:
          let subtree = module.options;
          in
          if !(isAttrs subtree) then
            throw "An option declaration for `${showOption prefix}' has type `${typeOf subtree}' rather than an attribute set. Did you mean to define this outside of `options'?"
          else
            mapAttrs (n: option: { inherit (module) _file; pos = unsafeGetAttrPos n subtree; options = option; }) subtree)
        modules);

      rawDefsByName = zipAttrsWith (_: defs: defs) (map
        (c:
          if !(isAttrs c.config) then throw (notAttrsMessage prefix c)
          else mapAttrs (n: value: { inherit (c) file; inherit value; line = defLine c.file c.src n; }) c.config)
        configs);

      # The definitions of a namespace, pushed down one level further.
      pushedDefs = name: concatMap
        (def: map (x: { inherit (def) file; inherit (x) config src; }) (pushDown def.value))
        (rawDefsByName.${name} or [ ]);

      resultsByName = mapAttrs
        (name: decls:
          let
            loc = prefix ++ [ name ];
            defns = rawDefsByName.${name} or [ ];
            optionDecls = filter (d: isOption d.options) decls;
          in
          if length optionDecls == length decls then
            { matchedOptions = evalOptionValue loc (fixupOptionType loc (mergeOptionDecls loc decls)) defns; unmatchedDefns = [ ]; }
          else if optionDecls != [ ] then
            if all (d: d.options.type.name or null == "submodule") optionDecls then
              {
                matchedOptions = evalOptionValue loc (fixupOptionType loc (mergeOptionDecls loc (map optionTreeToOption decls))) defns;
                unmatchedDefns = [ ];
              }
            else
              let first = head optionDecls;
              in throw "The option `${showOption loc}' in module `${first._file}' would be a parent of the following options, but its type `${first.options.type.description or "<no description>"}' does not support nested options.\n${showRawDeclarations loc (filter (d: !isOption d.options) decls)}"
          else
            let
              typed = filter (d: isAttrs d.options && d.options ? _type) decls;
            in
            if typed != [ ] then throwDeclarationTypeError loc (head typed)
            else mergeModules' loc decls (pushedDefs name))
        declsByName;

      matchedOptions = mapAttrs (_: r: r.matchedOptions) resultsByName;

      unmatchedDefnsByName =
        removeAttrs rawDefsByName (attrNames resultsByName)
        // mapAttrs (_: r: r.unmatchedDefns) resultsByName;

      unmatchedDefns = concatLists (lib.attrsets.mapAttrsToList
        (name: defs: map (def: def // { prefix = [ name ] ++ (def.prefix or [ ]); }) defs)
        unmatchedDefnsByName);
    in
    { inherit matchedOptions unmatchedDefns; };

  notAttrsMessage = prefix: c: ''
    In module `${c.file}', you're trying to define a value of type `${typeOf c.config}'
      rather than an attribute set for the option
      `${showOption prefix}'!

      This usually happens if `${showOption prefix}' has option
      definitions inside that are not matched. Please check how to properly define
      this option by e.g. referring to `man 5 configuration.nix'!
  '';

  throwDeclarationTypeError = loc: decl:
    let
      t = decl.options._type;
      hint = lib.strings.optionalString (t == "option-type") ''

        When declaring an option, you must wrap the type in a `mkOption` call, like:
            ${lib.strings.escapeNixIdentifier (lib.lists.last loc)} = lib.mkOption {
              type = <the type>;
              …
            };'';
    in
    throw "In module ${decl._file}: expected an option declaration at option path `${showOption loc}' but got an attribute set with type ${t}${hint}";

  showRawDeclarations = base: decls:
    concatStringsSep "\n" (sort (a: b: a < b) (concatMap
      (decl: map (sub: "- option(s) with prefix `${showOption (base ++ [ sub ])}' in module `${decl._file}'") (attrNames decl.options))
      decls));

  ## evalModules

  # Evaluates a list of modules:
  #   evalModules { modules; specialArgs ? {}; prefix ? []; class ? null; }
  # returns { config; options; _module; extendModules; type; class; _type = "configuration"; }.
  evalModules = evalModulesArgs @ { modules, prefix ? [ ], args ? { }, check ? true, specialArgs ? { }, class ? null }:
    let
      legacyModules =
        optional (evalModulesArgs ? args) { config._module.args = args; }
        ++ optional (evalModulesArgs ? check) { config._module.check = mkDefault check; };
      regularModules = modules ++ legacyModules;

      # The options every evaluation has.
      internalModule = {
        _file = "lib/modules.nix";
        key = "lib/modules.nix";
        options = internalOptions;
        config = {
          _module.args = { inherit extendModules; moduleType = type; };
          _module.specialArgs = specialArgs;
        };
      };

      merged =
        let
          collected = collectModules class (specialArgs.modulesPath or "")
            (regularModules ++ [ internalModule ])
            ({ inherit lib options config specialArgs; _class = class; } // specialArgs);
        in
        mergeModules prefix (reverseList collected);

      options = merged.matchedOptions;

      config =
        let
          declared = mapAttrsRecursiveCond (v: !isOption v) (_: v: v.value) options;
          freeform = declared._module.freeformType;
          freeformConfig =
            let defs = map (def: { inherit (def) file; line = def.line or null; value = setAttrByPath def.prefix def.value; }) merged.unmatchedDefns;
            in if defs == [ ] then { } else freeform.merge prefix defs;
        in
        if freeform == null then declared else recursiveUpdate freeformConfig declared;

      checkUnmatched =
        if config._module.check && config._module.freeformType == null && merged.unmatchedDefns != [ ] then
          let
            first = head merged.unmatchedDefns;
            name = showOption (prefix ++ first.prefix);
            # Every definition of that path, not only the first.
            defs = filter (d: d.prefix == first.prefix) merged.unmatchedDefns;
            shown = addErrorContext "while evaluating the error message for definitions for `${name}', which is an option that does not exist"
              (addErrorContext "while evaluating a definition from `${first.file}'" (showDefs defs));
            hint =
              if head first.prefix == "options"
              then "\n\nIt seems as if you're trying to declare an option by placing it into `config' rather than `options'!"
              else suggestOptions prefix options first.prefix;
          in
          throw "The option `${name}' does not exist. Definition values:${shown}${hint}"
        else null;

      checked = seq checkUnmatched;

      extendModules = extendArgs @ { modules ? [ ], specialArgs ? { }, prefix ? [ ] }:
        evalModules (evalModulesArgs // {
          modules = regularModules ++ modules;
          specialArgs = evalModulesArgs.specialArgs or { } // specialArgs;
          prefix = extendArgs.prefix or evalModulesArgs.prefix or [ ];
        });

      type = types.submoduleWith { inherit modules specialArgs class; };
    in
    warnIf (evalModulesArgs ? args) "The args argument to evalModules is deprecated. Please set config._module.args instead."
      (warnIf (evalModulesArgs ? check) "The check argument to evalModules is deprecated. Please set config._module.check instead." {
        _type = "configuration";
        options = checked options;
        config = checked (removeAttrs config [ "_module" ]);
        _module = checked config._module;
        inherit extendModules type class;
      });

  # "Did you mean …?" for a misspelt option: the declared siblings of loc
  # within two edits of its last component.
  suggestOptions = prefix: options: loc:
    let
      parent = lib.lists.init loc;
      wrong = lib.lists.last loc;
      siblings = attrByPath parent { } options;
      names = if isAttrs siblings && !(isOption siblings) then attrNames siblings else [ ];
      scored = map (n: { inherit n; d = lib.strings.levenshtein n wrong; })
        (filter (n: lib.strings.levenshteinAtMost 2 n wrong) names);
      close = lib.lists.take 3 (map (x: x.n) (lib.lists.sortOn (x: x.d) scored));
    in
    lib.strings.optionalString (close != [ ])
      "\n\nDid you mean ${lib.strings.concatMapStringsSep " or " (n: "`${showOption (prefix ++ parent ++ [ n ])}'") close}?";

  ## Option renames and removals

  # General form behind mkRenamedOptionModule and friends: an option at
  # `from` whose definitions go to `to`.
  doRename = { from, to, visible, warn, use, withPriority ? true, condition ? true }:
    { config, options, ... }:
    let
      fromOpt = getAttrFromPath from options;
      toOf = attrByPath to (abort "Renaming error: option `${showOption to}' does not exist.");
      toType = let opt = attrByPath to { } options; in opt.type or (types.submodule { });
    in
    {
      options = setAttrByPath from (mkOption {
        inherit visible;
        description = "Alias of {option}`${showOption to}`.";
        apply = _: use (toOf config);
      } // optionalAttrs (toType != null) { type = toType; });
      config = mkIf condition (mkMerge [
        (optionalAttrs (options ? warnings) {
          warnings = optional (warn && fromOpt.isDefined)
            "The option `${showOption from}' defined in ${showFiles fromOpt.files} has been renamed to `${showOption to}'.";
        })
        (if withPriority
         then mkAliasAndWrapDefsWithPriority (setAttrByPath to) fromOpt
         else mkAliasAndWrapDefinitions (setAttrByPath to) fromOpt)
      ]);
    };

  # The option `from` was renamed to `to`: definitions are forwarded, with a
  # warning.
  mkRenamedOptionModule = from: to: doRename {
    inherit from to;
    visible = false;
    warn = true;
    use = builtins.trace "Obsolete option `${showOption from}' is used. It was renamed to `${showOption to}'.";
  };

  mkRenamedOptionModuleWith = { from, to, sinceRelease }: doRename {
    inherit from to;
    visible = false;
    warn = lib.trivial.isInOldestRelease sinceRelease;
    use = lib.trivial.warnIf (lib.trivial.isInOldestRelease sinceRelease)
      "Obsolete option `${showOption from}' is used. It was renamed to `${showOption to}'.";
  };

  # `from` is another name for `to` (no warning).
  mkAliasOptionModule = from: to: doRename {
    inherit from to;
    visible = true;
    warn = false;
    use = x: x;
  };

  mkAliasOptionModuleMD = mkAliasOptionModule;

  # The option was removed: defining it fails an assertion with the
  # instructions.
  mkRemovedOptionModule = optionName: replacementInstructions:
    { options, ... }:
    {
      options = setAttrByPath optionName (mkOption {
        visible = false;
        apply = _: throw "The option `${showOption optionName}' can no longer be used since it's been removed. ${replacementInstructions}";
      });
      config.assertions =
        let opt = getAttrFromPath optionName options;
        in [{
          assertion = !opt.isDefined;
          message = ''
            The option definition `${showOption optionName}' in ${showFiles opt.files} no longer has any effect; please remove it.
            ${replacementInstructions}
          '';
        }];
    };

  # Several old options merged into `to` by mergeFn (given config).
  mkMergedOptionModule = from: to: mergeFn:
    { config, options, ... }:
    {
      options = foldl' recursiveUpdate { } (map
        (path: setAttrByPath path (mkOption { visible = false; default = "_mkMergedOptionModule"; }))
        from);
      config = optionalAttrs (options ? warnings) {
        warnings = filter (x: x != "") (map
          (f:
            let
              val = getAttrFromPath f config;
              opt = getAttrFromPath f options;
            in
            lib.strings.optionalString (val != "_mkMergedOptionModule")
              "The option `${showOption f}' defined in ${showFiles opt.files} has been changed to `${showOption to}' that has a different type. Please read `${showOption to}' documentation and update your configuration accordingly.")
          from);
      } // setAttrByPath to (mkMerge (optional
        (any (f: getAttrFromPath f config != "_mkMergedOptionModule") from)
        (mergeFn config)));
    };

  # One old option changed into `to` by changeFn (given config).
  mkChangedOptionModule = from: to: changeFn: mkMergedOptionModule [ from ] to changeFn;

  # A value derived from an option's definitions keeping their priority:
  # mkDerivedConfig options.foo f.
  mkDerivedConfig = opt: f:
    mkOverride (opt.highestPrio or defaultOverridePriority) (f opt.value);

  # The definitions of an attrsOf option, each name keeping its highest
  # priority: { <name> = { value; highestPrio; }; }.
  mergeAttrDefinitionsWithPrio = opt:
    let
      defsByName = zipAttrsWith (_: defs: defs) (map
        (def: mapAttrs (_: v: { inherit (def) file; value = v; }) def.value)
        opt.definitionsWithLocations);
    in
    assert opt.type.name == "attrsOf" || opt.type.name == "lazyAttrsOf";
    mapAttrs
      (_: defs:
        let merged = mergeDefinitions (opt.loc ++ [ "<name>" ]) opt.type.nestedTypes.elemType defs;
        in { value = merged.mergedValue; inherit (merged.defsFinal') highestPrio; })
      defsByName;

  # Imports a file as a module, first applying it to staticArg.
  importApply = modulePath: staticArg:
    lib.modules.setDefaultModuleLocation modulePath (import modulePath staticArg);
}
