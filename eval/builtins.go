package eval

// This file defines the table of builtins and the base environment: the
// names visible in every file (true, false, null, builtins, the global
// builtins such as map and import, and every builtin as __name).

import (
	"strings"
	"time"

	"github.com/frazil/frazil/eval/syntax"
)

// builtinFunc is the Go signature of every builtin: the arguments are
// lazy (possibly thunks); the result may be a thunk.
type builtinFunc func(ev *Evaluator, pos syntax.Pos, args []Value) Value

// builtinDef is one row of the builtins table.
type builtinDef struct {
	name   string
	arity  int
	fn     builtinFunc
	global bool // visible without "builtins." (else as __name)
}

// builtinTable lists every builtin. Names follow the language; the Go
// functions are named after them with a "prim" prefix.
var builtinTable []builtinDef

func init() {
	builtinTable = []builtinDef{
		// Types and arithmetic (builtins_types.go).
		{"typeOf", 1, primTypeOf, false},
		{"isNull", 1, primIsNull, true},
		{"isFunction", 1, primIsFunction, false},
		{"isString", 1, primIsString, false},
		{"isInt", 1, primIsInt, false},
		{"isFloat", 1, primIsFloat, false},
		{"isBool", 1, primIsBool, false},
		{"isAttrs", 1, primIsAttrs, false},
		{"isList", 1, primIsList, false},
		{"isPath", 1, primIsPath, false},
		{"add", 2, primAdd, false},
		{"sub", 2, primSub, false},
		{"mul", 2, primMul, false},
		{"div", 2, primDiv, false},
		{"lessThan", 2, primLessThan, false},
		{"bitAnd", 2, primBitAnd, false},
		{"bitOr", 2, primBitOr, false},
		{"bitXor", 2, primBitXor, false},
		{"floor", 1, primFloor, false},
		{"ceil", 1, primCeil, false},

		// Attribute sets (builtins_attrs.go).
		{"attrNames", 1, primAttrNames, false},
		{"attrValues", 1, primAttrValues, false},
		{"getAttr", 2, primGetAttr, false},
		{"hasAttr", 2, primHasAttr, false},
		{"removeAttrs", 2, primRemoveAttrs, true},
		{"listToAttrs", 1, primListToAttrs, false},
		{"intersectAttrs", 2, primIntersectAttrs, false},
		{"catAttrs", 2, primCatAttrs, false},
		{"mapAttrs", 2, primMapAttrs, false},
		{"zipAttrsWith", 2, primZipAttrsWith, false},
		{"functionArgs", 1, primFunctionArgs, false},
		{"unsafeGetAttrPos", 2, primUnsafeGetAttrPos, false},

		// Lists (builtins_lists.go).
		{"map", 2, primMap, true},
		{"filter", 2, primFilter, false},
		{"length", 1, primLength, false},
		{"elemAt", 2, primElemAt, false},
		{"head", 1, primHead, false},
		{"tail", 1, primTail, false},
		{"genList", 2, primGenList, false},
		{"foldl'", 3, primFoldlStrict, false},
		{"concatLists", 1, primConcatLists, false},
		{"concatMap", 2, primConcatMap, false},
		{"any", 2, primAny, false},
		{"all", 2, primAll, false},
		{"elem", 2, primElem, false},
		{"sort", 2, primSort, false},
		{"partition", 2, primPartition, false},
		{"groupBy", 2, primGroupBy, false},
		{"genericClosure", 1, primGenericClosure, false},

		// Strings (builtins_strings.go).
		{"toString", 1, primToString, true},
		{"stringLength", 1, primStringLength, false},
		{"substring", 3, primSubstring, false},
		{"concatStringsSep", 2, primConcatStringsSep, false},
		{"replaceStrings", 3, primReplaceStrings, false},
		{"match", 2, primMatch, false},
		{"split", 2, primSplit, false},
		{"splitVersion", 1, primSplitVersion, false},
		{"compareVersions", 2, primCompareVersions, false},
		{"parseDrvName", 1, primParseDrvName, false},
		{"baseNameOf", 1, primBaseNameOf, true},
		{"dirOf", 1, primDirOf, true},
		{"hashString", 2, primHashString, false},
		{"convertHash", 1, primConvertHash, false},
		{"toJSON", 1, primToJSON, false},
		{"fromJSON", 1, primFromJSON, false},
		{"fromTOML", 1, primFromTOML, true},
		{"toXML", 1, primToXML, false},

		// Control and debugging (builtins_control.go).
		{"throw", 1, primThrow, true},
		{"abort", 1, primAbort, true},
		{"tryEval", 1, primTryEval, false},
		{"seq", 2, primSeq, false},
		{"deepSeq", 2, primDeepSeq, false},
		{"trace", 2, primTrace, false},
		{"traceVerbose", 2, primTraceVerbose, false},
		{"warn", 2, primWarn, false},
		{"addErrorContext", 2, primAddErrorContext, false},
		{"break", 1, primBreak, true},
		{"import", 1, primImport, true},
		{"scopedImport", 2, primScopedImport, true},

		// Files and the store (builtins_files.go).
		{"readFile", 1, primReadFile, false},
		{"readDir", 1, primReadDir, false},
		{"readFileType", 1, primReadFileType, false},
		{"pathExists", 1, primPathExists, false},
		{"path", 1, primPath, false},
		{"filterSource", 2, primFilterSource, false},
		{"toFile", 2, primToFile, false},
		{"hashFile", 2, primHashFile, false},
		{"findFile", 2, primFindFile, false},
		{"getEnv", 1, primGetEnv, false},
		{"storePath", 1, primStorePath, false},
		{"toPath", 1, primToPath, false},
		{"placeholder", 1, primPlaceholder, true},
		{"fetchurl", 1, primFetchUnsupported("fetchurl"), false},
		{"fetchTarball", 1, primFetchUnsupported("fetchTarball"), true},
		{"fetchGit", 1, primFetchUnsupported("fetchGit"), true},
		{"fetchMercurial", 1, primFetchUnsupported("fetchMercurial"), true},
		{"fetchTree", 1, primFetchUnsupported("fetchTree"), true},
		{"fetchClosure", 1, primFetchUnsupported("fetchClosure"), false},
		{"getFlake", 1, primFetchUnsupported("getFlake"), false},
		{"parseFlakeRef", 1, primParseFlakeRef, false},
		{"flakeRefToString", 1, primFlakeRefToString, false},

		// String contexts (builtins_context.go).
		{"hasContext", 1, primHasContext, false},
		{"getContext", 1, primGetContext, false},
		{"appendContext", 2, primAppendContext, false},
		{"unsafeDiscardStringContext", 1, primUnsafeDiscardStringContext, false},
		{"unsafeDiscardOutputDependency", 1, primUnsafeDiscardOutputDependency, false},
		{"addDrvOutputDependencies", 1, primAddDrvOutputDependencies, false},

		// Derivations (derivation.go).
		{"derivationStrict", 1, primDerivationStrict, true},
	}
}

// LangVersion is builtins.langVersion.
const LangVersion = 6

// NixVersion is builtins.nixVersion: the Nix release whose language this
// evaluator implements.
const NixVersion = "2.18.0"

// initBuiltins builds the builtins set and the base environment.
func (ev *Evaluator) initBuiltins() {
	ev.base = map[string]Value{}
	var attrs []Attr
	add := func(name string, v Value, global bool) {
		if global {
			ev.base[name] = v
		} else {
			ev.base["__"+name] = v
		}
		attrs = append(attrs, Attr{Name: Intern(name), Value: v})
	}
	for _, d := range builtinTable {
		add(d.name, &Builtin{Name: d.name, Arity: d.arity, fn: d.fn}, d.global)
	}
	add("true", True, true)
	add("false", False, true)
	add("null", Null{}, true)
	add("currentSystem", NewString(ev.opts.System), false)
	add("currentTime", Int(time.Now().Unix()), false)
	add("storeDir", NewString(storeDir), false)
	add("nixVersion", NewString(NixVersion), false)
	add("langVersion", Int(LangVersion), false)
	add("nixPath", ev.nixPathValue(), false)
	derivation := newThunk(&derivationExpr{}, nil)
	add("derivation", derivation, true)
	b := &Attrs{}
	add("builtins", b, true)
	sortAttrs(attrs)
	b.attrs = attrs
	ev.builtins = b
}

// nixPathValue is builtins.nixPath: [{ prefix; path; }] from SearchPath.
func (ev *Evaluator) nixPathValue() Value {
	var elems []Value
	for _, e := range ev.opts.SearchPath {
		prefix, path := "", e
		if i := strings.IndexByte(e, '='); i >= 0 {
			prefix, path = e[:i], e[i+1:]
		}
		elems = append(elems, NewAttrs([]Attr{
			{Name: symPrefix, Value: NewString(prefix)},
			{Name: symPath, Value: NewString(path)},
		}))
	}
	return NewList(elems)
}

// posAttrs returns { file, line, column } for a position.
func (ev *Evaluator) posAttrs(p syntax.Pos) Value {
	if !p.IsValid() {
		return Null{}
	}
	pos := ev.fset.Position(p)
	return NewAttrs([]Attr{
		{Name: symColumn, Value: Int(pos.Column)},
		{Name: symFile, Value: NewString(pos.File)},
		{Name: symLine, Value: Int(pos.Line)},
	})
}
