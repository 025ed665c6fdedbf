package eval

// This file defines the Evaluator's public entry points. Each runs
// evaluation under a recover, so that evaluation errors come back as
// *Error values and no panic escapes the package.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/frazil/frazil/eval/syntax"
)

// Program is a parsed and compiled expression.
type Program struct {
	node syntax.Node
	x    expr
}

// String prints the program as nix-instantiate --parse does.
func (p *Program) String() string { return syntax.Format(p.node) }

// ParseFile parses and compiles a file (a directory means its
// default.nix).
func (ev *Evaluator) ParseFile(path string) (*Program, error) {
	path = resolveImport(path)
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, unwrapPathError(err))
	}
	return ev.parse(path, src, filepath.Dir(path))
}

// ParseString parses and compiles source text named name (such as
// «string» or «stdin»), resolving relative paths against basePath.
func (ev *Evaluator) ParseString(src, name, basePath string) (*Program, error) {
	return ev.parse(name, []byte(src), basePath)
}

func (ev *Evaluator) parse(name string, src []byte, base string) (*Program, error) {
	n, f, err := syntax.Parse(ev.fset, name, src, ev.parseOptions(base))
	if err != nil {
		return nil, ev.wrapParseError(err)
	}
	x, err := ev.compileIn(n, f, nil)
	if err != nil {
		return nil, ev.wrapParseError(err)
	}
	return &Program{node: n, x: x}, nil
}

func (ev *Evaluator) wrapParseError(err error) error {
	if se, ok := err.(*syntax.Error); ok {
		return &Error{Kind: ErrParse, Msg: se.Msg, Pos: se.At, fset: ev.fset}
	}
	return err
}

// Eval evaluates a program to weak head normal form.
func (ev *Evaluator) Eval(p *Program) (Value, error) {
	var v Value
	err := ev.try(func() { v = p.x.eval(ev, nil) })
	return v, err
}

// EvalFile evaluates a file as import would.
func (ev *Evaluator) EvalFile(path string) (Value, error) {
	var v Value
	err := ev.try(func() { v = ev.importFile(path, syntax.NoPos) })
	return v, err
}

// Force evaluates v to weak head normal form.
func (ev *Evaluator) Force(v Value) (Value, error) {
	err := ev.try(func() { v = ev.force(v) })
	return v, err
}

// ForceDeep evaluates v completely (nix-instantiate --strict).
func (ev *Evaluator) ForceDeep(v Value) error {
	return ev.try(func() { ev.forceDeep(v, syntax.NoPos) })
}

// Print formats v as nix-instantiate --eval prints it, without
// evaluating anything.
func (ev *Evaluator) Print(v Value) (s string, err error) {
	err = ev.try(func() { s = ev.printValue(v) })
	return s, err
}

// AutoCall calls a function that takes a set of named arguments with
// the arguments it accepts from args, as nix-instantiate does with
// --arg and --argstr; other values are returned unchanged.
func (ev *Evaluator) AutoCall(v Value, args *Attrs) (Value, error) {
	err := ev.try(func() { v = ev.autoCall(v, args) })
	return v, err
}

func (ev *Evaluator) autoCall(v Value, args *Attrs) Value {
	v = ev.force(v)
	if a, ok := v.(*Attrs); ok {
		if f, ok := a.Get(symFunctor); ok {
			return ev.autoCall(ev.call(f, a, syntax.NoPos), args)
		}
	}
	c, ok := v.(*Closure)
	if !ok || !c.lam.hasFormals {
		return v
	}
	if c.lam.ellipsis {
		return ev.callClosure(c, args, syntax.NoPos)
	}
	var pass []Attr
	for _, f := range c.lam.formals {
		if at, ok := args.Lookup(f.name); ok {
			pass = append(pass, *at)
		} else if f.def == nil {
			ev.errorf(ErrEval, f.p, "cannot evaluate a function that has an argument without a value ('%s')\n\n"+
				"Nix attempted to evaluate a function as a top level expression; in\n"+
				"this case it must have its arguments supplied either by default\n"+
				"values, or passed explicitly with '--arg' or '--argstr'. See\n"+
				"https://nixos.org/manual/nix/stable/#ss-functions.", f.name)
		}
	}
	return ev.callClosure(c, NewAttrs(pass), syntax.NoPos)
}

// SelectPath follows an attribute path such as "a.b.0.c" (as -A does),
// auto-calling functions along the way with args.
func (ev *Evaluator) SelectPath(v Value, path string, args *Attrs) (Value, error) {
	err := ev.try(func() { v = ev.selectPath(v, path, args) })
	return v, err
}

func (ev *Evaluator) selectPath(v Value, path string, args *Attrs) Value {
	for _, name := range splitAttrPath(path) {
		v = ev.force(ev.autoCall(v, args))
		if n, err := strconv.ParseUint(name, 10, 32); err == nil {
			l, ok := v.(*List)
			if !ok {
				ev.errorf(ErrEval, syntax.NoPos, "the expression selected by the selection path '%s' should be a list but is %s", path, showType(v))
			}
			if n >= uint64(len(l.elems)) {
				ev.errorf(ErrEval, syntax.NoPos, "list index %d in selection path '%s' is out of range", n, path)
			}
			v = l.elems[n]
			continue
		}
		a, ok := v.(*Attrs)
		if !ok {
			ev.errorf(ErrEval, syntax.NoPos, "the expression selected by the selection path '%s' should be a set but is %s", path, showType(v))
		}
		x, ok := a.Get(Intern(name))
		if !ok {
			ev.errorf(ErrEval, syntax.NoPos, "attribute '%s' in selection path '%s' not found", name, path)
		}
		v = x
	}
	return ev.force(v)
}

// splitAttrPath splits a.b."c.d" into its names.
func splitAttrPath(path string) []string {
	var out []string
	var cur strings.Builder
	inQuote := false
	for i := 0; i < len(path); i++ {
		c := path[i]
		switch {
		case c == '"':
			inQuote = !inQuote
		case c == '.' && !inQuote:
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(c)
		}
	}
	if path != "" {
		out = append(out, cur.String())
	}
	return out
}

// JSON returns v as JSON (forcing it deeply), as nix-instantiate --json
// prints it.
func (ev *Evaluator) JSON(v Value) (s string, err error) {
	err = ev.try(func() {
		var b strings.Builder
		var cb contextBuilder
		ev.writeJSON(&b, v, syntax.NoPos, &cb, true)
		s = b.String()
	})
	return s, err
}

// NewArgs builds the argument set for AutoCall from --arg (expressions,
// already evaluated lazily) and --argstr values.
func NewArgs(values map[string]Value) *Attrs {
	attrs := make([]Attr, 0, len(values))
	for k, v := range values {
		attrs = append(attrs, Attr{Name: Intern(k), Value: v})
	}
	return NewAttrs(attrs)
}

// Lazy returns a not yet evaluated value for a program (for --arg).
func (ev *Evaluator) Lazy(p *Program) Value { return newThunk(p.x, nil) }

// SearchPath returns the search path (-I entries, then NIX_PATH).
func (ev *Evaluator) SearchPath() []string { return ev.opts.SearchPath }

// Instantiate returns the .drv paths of the derivations v denotes (a
// derivation, or a set or list of them, as nix-instantiate finds them),
// each followed by "!output" when the output is not "out". Evaluating
// drvPath writes the .drv files to the store.
func (ev *Evaluator) Instantiate(v Value, args *Attrs) (drvs []string, err error) {
	err = ev.try(func() { ev.getDerivations(v, args, &drvs, map[*Attrs]bool{}, true) })
	return drvs, err
}

var attrNameRegex = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_+-]*$`)

var symRecurse = Intern("recurseForDerivations")

func (ev *Evaluator) getDerivations(v Value, args *Attrs, out *[]string, done map[*Attrs]bool, top bool) {
	v = ev.force(ev.autoCall(v, args))
	if !ev.addDerivation(v, out, done) {
		return
	}
	switch x := v.(type) {
	case *Attrs:
		for _, at := range x.Lexical() {
			if !attrNameRegex.MatchString(at.Name.String()) {
				continue
			}
			if !ev.addDerivation(at.Value, out, done) {
				continue
			}
			if a, ok := ev.force(at.Value).(*Attrs); ok {
				if r, ok := a.Get(symRecurse); ok && ev.forceBool(r, at.Pos) {
					ev.getDerivations(a, args, out, done, false)
				}
			}
		}
	case *List:
		for _, e := range x.elems {
			if ev.addDerivation(e, out, done) {
				ev.getDerivations(e, args, out, done, false)
			}
		}
	default:
		ev.errorf(ErrEval, syntax.NoPos, "expression does not evaluate to a derivation (or a set or list of those)")
	}
}

// addDerivation records v if it is a derivation and reports whether it
// was not one (so the caller may look inside it).
func (ev *Evaluator) addDerivation(v Value, out *[]string, done map[*Attrs]bool) bool {
	a, ok := ev.force(v).(*Attrs)
	if !ok || !ev.isDerivation(a) {
		return true
	}
	if done[a] {
		return false
	}
	done[a] = true
	dv, ok := a.Get(symDrvPath)
	if !ok {
		ev.errorf(ErrEval, syntax.NoPos, "derivation does not contain a 'drvPath' attribute")
	}
	drvPath := ev.forceString(dv, syntax.NoPos).s
	outName := ""
	if o, ok := a.Get(symOutputName); ok {
		outName = ev.forceStringNoCtx(o, syntax.NoPos)
	}
	if outName == "" {
		ev.errorf(ErrEval, syntax.NoPos, "derivation '%s' lacks an 'outputName' attribute", drvPath)
	}
	if outName != "out" {
		drvPath += "!" + outName
	}
	*out = append(*out, drvPath)
	return false
}
