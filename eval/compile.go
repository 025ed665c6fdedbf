package eval

// This file defines the compiler from syntax trees to expression nodes.
// It resolves every variable at compile time: a variable bound by a let,
// a rec set, a lambda or an `inherit (e)` becomes a (level, index)
// reference into the environment chain; a builtin becomes a constant; a
// variable bound by no static scope is looked up at run time in the
// enclosing `with`s, innermost first — and if there is no `with`, it is
// an "undefined variable" error, reported before evaluation as Nix does.

import (
	"sort"

	"github.com/frazil/frazil/eval/syntax"
)

// A scope is one level of the static environment chain.
type scope struct {
	up    *scope
	with  bool
	names map[Symbol]int
}

type compiler struct {
	ev   *Evaluator
	file *syntax.File
	base map[string]Value // names visible at the bottom (builtins)
}

func (c *compiler) errorf(pos syntax.Pos, format string, args ...any) {
	panic(&syntax.Error{Pos: c.ev.fset.Position(pos), Msg: sprintf(format, args...), At: pos})
}

// compileIn compiles a parsed file whose free variables are looked up
// in sc (nil for none; scopedImport passes its set) and then the base
// scope.
func (ev *Evaluator) compileIn(n syntax.Node, f *syntax.File, sc *scope) (x expr, err error) {
	c := &compiler{ev: ev, file: f, base: ev.base}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*syntax.Error)
			if !ok {
				panic(r)
			}
			x, err = nil, e
		}
	}()
	return c.compile(n, sc), nil
}

func newScope(up *scope, names []Symbol) *scope {
	s := &scope{up: up, names: make(map[Symbol]int, len(names))}
	for i, n := range names {
		s.names[n] = i
	}
	return s
}

func (c *compiler) resolve(p syntax.Pos, name string, sc *scope) expr {
	sym := Intern(name)
	level := 0
	var withs []int
	for s := sc; s != nil; s = s.up {
		if s.with {
			withs = append(withs, level)
		} else if i, ok := s.names[sym]; ok {
			return &varNode{p: p, name: sym, level: level, index: i}
		}
		level++
	}
	if v, ok := c.base[name]; ok {
		return &constNode{p: p, v: v}
	}
	if len(withs) == 0 {
		c.errorf(p, "undefined variable '%s'", name)
	}
	return &withVarNode{p: p, name: sym, levels: withs}
}

// checkScopeSize rejects scopes too large for an environment.
func (c *compiler) checkScopeSize(p syntax.Pos, n int) {
	if n > maxEnvSize {
		c.errorf(p, "too many bindings in one scope (%d; at most %d)", n, maxEnvSize)
	}
}

func (c *compiler) compile(n syntax.Node, sc *scope) expr {
	switch n := n.(type) {
	case *syntax.IntLit:
		return &constNode{p: n.P, v: Int(n.V)}
	case *syntax.FloatLit:
		return &constNode{p: n.P, v: Float(n.V)}
	case *syntax.StringLit:
		return &constNode{p: n.P, v: NewString(n.V)}
	case *syntax.PathLit:
		return &constNode{p: n.P, v: Path(n.V)}
	case *syntax.SearchPath:
		return &callNode{p: n.P, fn: c.resolve(n.P, "__findFile", sc),
			args: []expr{c.resolve(n.P, "__nixPath", sc), &constNode{p: n.P, v: NewString(n.Path)}}}
	case *syntax.Var:
		return c.resolve(n.P, n.Name, sc)
	case *syntax.CurPos:
		return &constNode{p: n.P, v: c.ev.posAttrs(n.P)}
	case *syntax.Select:
		return &selectNode{p: n.P, e: c.compile(n.E, sc), path: c.attrPath(n.Path, sc), def: c.compileOpt(n.Default, sc)}
	case *syntax.HasAttr:
		return &hasAttrNode{p: n.P, e: c.compile(n.E, sc), path: c.attrPath(n.Path, sc)}
	case *syntax.Attrs:
		return c.compileAttrs(n, sc)
	case *syntax.List:
		l := &listNode{p: n.P, elems: make([]expr, len(n.Elems))}
		for i, e := range n.Elems {
			l.elems[i] = c.compile(e, sc)
		}
		return l
	case *syntax.Lambda:
		return c.compileLambda(n, sc)
	case *syntax.Call:
		call := &callNode{p: n.P, fn: c.compile(n.Fn, sc), args: make([]expr, len(n.Args))}
		for i, a := range n.Args {
			call.args[i] = c.compile(a, sc)
		}
		return call
	case *syntax.Let:
		return c.compileLet(n, sc)
	case *syntax.With:
		inner := &scope{up: sc, with: true}
		return &withNode{p: n.P, attrs: c.compile(n.Attrs, sc), body: c.compile(n.Body, inner)}
	case *syntax.If:
		return &ifNode{p: n.P, cond: c.compile(n.Cond, sc), then: c.compile(n.Then, sc), else_: c.compile(n.Else, sc)}
	case *syntax.Assert:
		return &assertNode{p: n.P, cond: c.compile(n.Cond, sc), body: c.compile(n.Body, sc), src: n.Cond}
	case *syntax.Not:
		return &notNode{p: n.P, e: c.compile(n.E, sc)}
	case *syntax.Neg:
		return &binNode{p: n.P, op: syntax.MINUS, l: &constNode{p: n.P, v: Int(0)}, r: c.compile(n.E, sc)}
	case *syntax.BinOp:
		if n.Op == syntax.PLUS {
			return &concatNode{p: n.P, parts: []expr{c.compile(n.L, sc), c.compile(n.R, sc)}}
		}
		return &binNode{p: n.P, op: n.Op, l: c.compile(n.L, sc), r: c.compile(n.R, sc)}
	case *syntax.Interp:
		cn := &concatNode{p: n.P, forceString: n.ForceString, parts: make([]expr, len(n.Parts))}
		for i, p := range n.Parts {
			cn.parts[i] = c.compile(p, sc)
		}
		return cn
	case *syntax.InheritFrom:
		// Only reached through compileInherited, which binds the scope.
		return c.resolveInheritFrom(n, sc)
	}
	panic(sprintf("eval: cannot compile %T", n))
}

func (c *compiler) compileOpt(n syntax.Node, sc *scope) expr {
	if n == nil {
		return nil
	}
	return c.compile(n, sc)
}

func (c *compiler) attrPath(path []syntax.AttrName, sc *scope) []attrKey {
	out := make([]attrKey, len(path))
	for i, a := range path {
		if a.Expr != nil {
			out[i] = attrKey{p: a.P, dyn: c.compile(a.Expr, sc)}
		} else {
			out[i] = attrKey{p: a.P, name: Intern(a.Name)}
		}
	}
	return out
}

// inheritScopeMarker names the slots of the environment holding the
// expressions of `inherit (e)`.
var inheritScopeMarker = Intern("«inherit-from»")

// resolveInheritFrom finds the inherit-from environment, which is always
// the scope directly enclosing an inherited attribute's value.
func (c *compiler) resolveInheritFrom(n *syntax.InheritFrom, sc *scope) expr {
	return &varNode{p: n.P, name: inheritScopeMarker, level: 0, index: n.Index}
}

func (c *compiler) compileLambda(n *syntax.Lambda, sc *scope) expr {
	lam := &lambdaNode{p: n.P, name: n.Name}
	var names []Symbol
	if n.Arg != "" {
		lam.hasArg = true
		lam.arg = Intern(n.Arg)
		names = append(names, lam.arg)
	}
	if n.Formals != nil {
		lam.hasFormals = true
		lam.ellipsis = n.Formals.Ellipsis
		fs := sortedFormals(n.Formals.Formals)
		for _, f := range fs {
			sym := Intern(f.Name)
			lam.formals = append(lam.formals, formalNode{p: f.P, name: sym})
			names = append(names, sym)
		}
	}
	lam.envSize = len(names)
	c.checkScopeSize(n.P, len(names))
	inner := newScope(sc, names)
	if n.Formals != nil {
		fs := sortedFormals(n.Formals.Formals)
		for i, f := range fs {
			if f.Default != nil {
				lam.formals[i].def = c.compile(f.Default, inner)
			}
		}
	}
	lam.body = c.compile(n.Body, inner)
	return lam
}

// A binding is a compiled static attribute of a set or let.
type binding struct {
	name Symbol
	p    syntax.Pos
	x    expr
	kind syntax.AttrKind
}

// compileBindings compiles static attributes sorted by name. Plain
// values are compiled in valScope; `inherit x` in outer; `inherit (e) x`
// in a scope for the inherit-from environment whose expressions are
// compiled in valScope.
func (c *compiler) compileBindings(a *syntax.Attrs, valScope, outer *scope) ([]binding, []expr) {
	defs := sortedDefs(a.Attrs)
	var from []expr
	var inhScope *scope
	if len(a.InheritFrom) > 0 {
		from = make([]expr, len(a.InheritFrom))
		for i, e := range a.InheritFrom {
			from[i] = c.compile(e, valScope)
		}
		inhScope = &scope{up: valScope, names: map[Symbol]int{}}
	}
	out := make([]binding, len(defs))
	for i, d := range defs {
		b := binding{name: Intern(d.Name), p: d.P, kind: d.Kind}
		switch d.Kind {
		case syntax.AttrPlain:
			b.x = c.compile(d.Value, valScope)
		case syntax.AttrInherited:
			b.x = c.compile(d.Value, outer)
		case syntax.AttrInheritedFrom:
			b.x = c.compile(d.Value, inhScope)
		}
		out[i] = b
	}
	return out, from
}

type (
	attrsNode struct {
		p       syntax.Pos
		rec     bool
		static  []binding
		from    []expr // inherit (e) expressions
		dynamic []dynAttrNode
	}
	dynAttrNode struct {
		p          syntax.Pos
		name, expr expr
	}
	letNode struct {
		p     syntax.Pos
		binds []binding
		from  []expr
		body  expr
	}
)

func (n *attrsNode) pos() syntax.Pos { return n.p }
func (n *letNode) pos() syntax.Pos   { return n.p }

func (c *compiler) compileAttrs(a *syntax.Attrs, sc *scope) expr {
	n := &attrsNode{p: a.P, rec: a.Rec}
	c.checkScopeSize(a.P, len(a.Attrs))
	valScope := sc
	if a.Rec {
		names := make([]Symbol, 0, len(a.Attrs))
		for _, d := range sortedDefs(a.Attrs) {
			names = append(names, Intern(d.Name))
		}
		valScope = newScope(sc, names)
	}
	n.static, n.from = c.compileBindings(a, valScope, sc)
	for _, d := range a.Dynamic {
		n.dynamic = append(n.dynamic, dynAttrNode{p: d.P, name: c.compile(d.Name, valScope), expr: c.compile(d.Value, valScope)})
	}
	return n
}

// sortedDefs sorts definitions by symbol, the order of attribute sets
// and of the slots of rec and let environments.
func sortedDefs(defs []*syntax.AttrDef) []*syntax.AttrDef {
	out := append([]*syntax.AttrDef(nil), defs...)
	sort.SliceStable(out, func(i, j int) bool { return Intern(out[i].Name) < Intern(out[j].Name) })
	return out
}

// sortedFormals sorts formals by symbol, the order of functionArgs.
func sortedFormals(fs []syntax.Formal) []syntax.Formal {
	out := append([]syntax.Formal(nil), fs...)
	sort.SliceStable(out, func(i, j int) bool { return Intern(out[i].Name) < Intern(out[j].Name) })
	return out
}

func (c *compiler) compileLet(l *syntax.Let, sc *scope) expr {
	c.checkScopeSize(l.P, len(l.Binds.Attrs))
	names := make([]Symbol, 0, len(l.Binds.Attrs))
	for _, d := range sortedDefs(l.Binds.Attrs) {
		names = append(names, Intern(d.Name))
	}
	inner := newScope(sc, names)
	n := &letNode{p: l.P}
	n.binds, n.from = c.compileBindings(l.Binds, inner, sc)
	n.body = c.compile(l.Body, inner)
	return n
}
