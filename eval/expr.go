package eval

// This file defines the compiled expression nodes and how each is
// evaluated. eval returns a value in weak head normal form (never a
// thunk); lazy returns a thunk, or the value itself when it is already
// known (constants, variables), as Nix's maybeThunk does.

import (
	"math"

	"github.com/frazil/frazil/eval/syntax"
)

// expr is a compiled expression.
type expr interface {
	eval(ev *Evaluator, env *Env) Value
	pos() syntax.Pos
}

// lazy returns x's value without evaluating it.
func (ev *Evaluator) lazy(x expr, env *Env) Value {
	switch n := x.(type) {
	case *constNode:
		return n.v
	case *varNode:
		e := env
		for i := n.level; i > 0; i-- {
			e = e.up
		}
		if v := e.get(n.index); v != nil {
			return v
		}
	}
	return newThunk(x, env)
}

// lazyArg is lazy for function arguments: integer arithmetic on known
// values, which cannot fail, is done at once instead of in a thunk (the
// `n - 1` of recursive functions). Attribute values and list elements
// stay lazy exactly as in Nix, since non-strict printing shows which
// values are evaluated.
func (ev *Evaluator) lazyArg(x expr, env *Env) Value {
	switch n := x.(type) {
	case *binNode:
		if v, ok := eagerArith(n.op, n.l, n.r, env); ok {
			return v
		}
	case *concatNode:
		if !n.forceString && len(n.parts) == 2 {
			if v, ok := eagerArith(syntax.PLUS, n.parts[0], n.parts[1], env); ok {
				return v
			}
		}
	}
	return ev.lazy(x, env)
}

// known returns the value of a constant or of a variable that is
// already evaluated, without evaluating anything.
func known(x expr, env *Env) (Value, bool) {
	switch n := x.(type) {
	case *constNode:
		return n.v, true
	case *varNode:
		e := env
		for i := n.level; i > 0; i-- {
			e = e.up
		}
		switch v := e.get(n.index).(type) {
		case nil:
			return nil, false
		case *Thunk:
			if v.done() {
				return v.value(), true
			}
			return nil, false
		default:
			return v, true
		}
	}
	return nil, false
}

// eagerArith computes integer +, - or * of known operands when it cannot
// fail, saving a thunk for arguments like `n - 1`. Evaluation is pure, so
// computing early what cannot fail is not observable.
func eagerArith(op syntax.Token, l, r expr, env *Env) (Value, bool) {
	if op != syntax.PLUS && op != syntax.MINUS && op != syntax.STAR {
		return nil, false
	}
	a, ok := known(l, env)
	if !ok {
		return nil, false
	}
	ai, ok := a.(Int)
	if !ok {
		return nil, false
	}
	b, ok := known(r, env)
	if !ok {
		return nil, false
	}
	bi, ok := b.(Int)
	if !ok {
		return nil, false
	}
	x, y := int64(ai), int64(bi)
	switch op {
	case syntax.PLUS:
		if s := x + y; (s > x) == (y > 0) {
			return Int(s), true
		}
	case syntax.MINUS:
		if s := x - y; (s < x) == (y > 0) {
			return Int(s), true
		}
	case syntax.STAR:
		if x > -1<<31 && x < 1<<31 && y > -1<<31 && y < 1<<31 {
			return Int(x * y), true
		}
	}
	return nil, false
}

type (
	constNode struct {
		p syntax.Pos
		v Value
	}
	varNode struct {
		p            syntax.Pos
		name         Symbol
		level, index int
	}
	withVarNode struct {
		p      syntax.Pos
		name   Symbol
		levels []int // levels of the enclosing withs, innermost first
	}
	attrKey struct {
		p    syntax.Pos
		name Symbol
		dyn  expr // non-nil for ${…} names
	}
	selectNode struct {
		p    syntax.Pos
		e    expr
		path []attrKey
		def  expr
	}
	hasAttrNode struct {
		p    syntax.Pos
		e    expr
		path []attrKey
	}
	listNode struct {
		p     syntax.Pos
		elems []expr
	}
	formalNode struct {
		p    syntax.Pos
		name Symbol
		def  expr
	}
	lambdaNode struct {
		p          syntax.Pos
		name       string
		arg        Symbol
		hasArg     bool
		hasFormals bool
		formals    []formalNode // sorted by name
		ellipsis   bool
		body       expr
		envSize    int
	}
	callNode struct {
		p    syntax.Pos
		fn   expr
		args []expr
	}
	withNode struct {
		p     syntax.Pos
		attrs expr
		body  expr
	}
	ifNode struct {
		p                 syntax.Pos
		cond, then, else_ expr
	}
	assertNode struct {
		p    syntax.Pos
		cond expr
		body expr
		src  syntax.Node
	}
	notNode struct {
		p syntax.Pos
		e expr
	}
	binNode struct {
		p    syntax.Pos
		op   syntax.Token
		l, r expr
	}
	concatNode struct {
		p           syntax.Pos
		forceString bool
		parts       []expr
	}
)

func (n *constNode) pos() syntax.Pos   { return n.p }
func (n *varNode) pos() syntax.Pos     { return n.p }
func (n *withVarNode) pos() syntax.Pos { return n.p }
func (n *selectNode) pos() syntax.Pos  { return n.p }
func (n *hasAttrNode) pos() syntax.Pos { return n.p }
func (n *listNode) pos() syntax.Pos    { return n.p }
func (n *lambdaNode) pos() syntax.Pos  { return n.p }
func (n *callNode) pos() syntax.Pos    { return n.p }
func (n *withNode) pos() syntax.Pos    { return n.p }
func (n *ifNode) pos() syntax.Pos      { return n.p }
func (n *assertNode) pos() syntax.Pos  { return n.p }
func (n *notNode) pos() syntax.Pos     { return n.p }
func (n *binNode) pos() syntax.Pos     { return n.p }
func (n *concatNode) pos() syntax.Pos  { return n.p }

func (n *constNode) eval(ev *Evaluator, env *Env) Value { return n.v }

func (n *varNode) eval(ev *Evaluator, env *Env) Value {
	e := env
	for i := n.level; i > 0; i-- {
		e = e.up
	}
	v := e.get(n.index)
	if t, ok := v.(*Thunk); ok {
		v = ev.forceThunk(t)
		e.set(n.index, v)
	}
	if v == nil {
		ev.errorf(ErrRecursion, n.p, "infinite recursion encountered")
	}
	return v
}

func (n *withVarNode) eval(ev *Evaluator, env *Env) Value {
	return ev.force(n.lookup(ev, env))
}

func (n *withVarNode) lookup(ev *Evaluator, env *Env) Value {
	e, lvl := env, 0
	for _, l := range n.levels {
		for ; lvl < l; lvl++ {
			e = e.up
		}
		var attrs *Attrs
		switch v := e.get(0).(type) {
		case *Attrs:
			attrs = v
		default:
			attrs = ev.forceAttrs(v, n.p)
			e.set(0, attrs)
		}
		if v, ok := attrs.Get(n.name); ok {
			return v
		}
	}
	ev.errorf(ErrEval, n.p, "undefined variable '%s'", n.name)
	return nil
}

// attrName returns the name of a path element, evaluating ${…}.
func (ev *Evaluator) attrName(k *attrKey, env *Env) Symbol {
	if k.dyn == nil {
		return k.name
	}
	v := k.dyn.eval(ev, env)
	s, ok := v.(*String)
	if !ok {
		ev.typeError(k.p, v, "a string")
	}
	return Intern(s.s)
}

func (n *selectNode) eval(ev *Evaluator, env *Env) Value {
	v := n.e.eval(ev, env)
	for i := range n.path {
		k := &n.path[i]
		a, ok := v.(*Attrs)
		if !ok {
			if n.def != nil {
				return n.def.eval(ev, env)
			}
			ev.push(frame{kind: frameMessage, pos: n.p, ref: "while selecting an attribute"})
			ev.typeError(n.e.pos(), v, "a set")
		}
		name := ev.attrName(k, env)
		at, found := a.Lookup(name)
		if !found {
			if n.def != nil {
				return n.def.eval(ev, env)
			}
			ev.missingAttr(n.p, name, a)
		}
		v = at.Value
		if t, ok := v.(*Thunk); ok {
			if t.done() {
				v = t.value()
			} else {
				ev.frames = append(ev.frames, frame{kind: frameAttr, name: name, pos: at.Pos})
				v = ev.forceThunk(t)
				ev.frames = ev.frames[:len(ev.frames)-1]
			}
		}
	}
	return v
}

func (ev *Evaluator) missingAttr(pos syntax.Pos, name Symbol, a *Attrs) {
	ev.errorf(ErrEval, pos, "attribute '%s' missing", name)
}

func (n *hasAttrNode) eval(ev *Evaluator, env *Env) Value {
	v := n.e.eval(ev, env)
	for i := range n.path {
		a, ok := v.(*Attrs)
		if !ok {
			return False
		}
		x, found := a.Get(ev.attrName(&n.path[i], env))
		if !found {
			return False
		}
		if i < len(n.path)-1 {
			v = ev.force(x)
		}
	}
	return True
}

func (n *listNode) eval(ev *Evaluator, env *Env) Value {
	if len(n.elems) == 0 {
		return emptyList
	}
	l := newListOfLen(len(n.elems))
	for i, x := range n.elems {
		l.elems[i] = ev.lazy(x, env)
	}
	return l
}

func (n *lambdaNode) eval(ev *Evaluator, env *Env) Value { return &Closure{lam: n, env: env} }

func (n *callNode) eval(ev *Evaluator, env *Env) Value {
	fn := n.fn.eval(ev, env)
	args := n.args
	for len(args) > 0 {
		switch f := fn.(type) {
		case *Closure:
			// f a b … where f's body is itself a lambda: bind the
			// arguments in turn without making the inner closures.
			lam, cenv := f.lam, f.env
			for {
				e := ev.bindArg(lam, cenv, ev.lazyArg(args[0], env), n.p)
				args = args[1:]
				if inner, ok := lam.body.(*lambdaNode); ok && len(args) > 0 {
					lam, cenv = inner, e
					continue
				}
				fn = ev.evalBody(lam, e, n.p)
				break
			}
			continue
		case *Builtin:
			if f.Arity <= len(args) {
				base := len(ev.argStack)
				for i := 0; i < f.Arity; i++ {
					ev.argStack = append(ev.argStack, ev.lazyArg(args[i], env))
				}
				fn = ev.callBuiltinStack(f, base, n.p)
				args = args[f.Arity:]
				continue
			}
		}
		fn = ev.call(fn, ev.lazyArg(args[0], env), n.p)
		args = args[1:]
	}
	return ev.force(fn)
}

func (n *withNode) eval(ev *Evaluator, env *Env) Value {
	e := newEnv(env, 1)
	e.set(0, ev.lazy(n.attrs, env))
	return n.body.eval(ev, e)
}

func (n *ifNode) eval(ev *Evaluator, env *Env) Value {
	c := n.cond.eval(ev, env)
	b, ok := c.(Bool)
	if !ok {
		ev.pushMsg(n.cond.pos(), "while evaluating a branch condition")
		ev.typeError(n.cond.pos(), c, "a Boolean")
	}
	if b {
		return n.then.eval(ev, env)
	}
	return n.else_.eval(ev, env)
}

func (n *assertNode) eval(ev *Evaluator, env *Env) Value {
	c := n.cond.eval(ev, env)
	b, ok := c.(Bool)
	if !ok {
		ev.pushMsg(n.cond.pos(), "while evaluating the condition of the assertion")
		ev.typeError(n.cond.pos(), c, "a Boolean")
	}
	if !b {
		ev.errorf(ErrAssert, n.p, "assertion '%s' failed", syntax.Format(n.src))
	}
	return n.body.eval(ev, env)
}

func (n *notNode) eval(ev *Evaluator, env *Env) Value {
	c := n.e.eval(ev, env)
	b, ok := c.(Bool)
	if !ok {
		ev.typeError(n.e.pos(), c, "a Boolean")
	}
	return boolValue(!bool(b))
}

func (ev *Evaluator) evalBool(x expr, env *Env) bool {
	c := x.eval(ev, env)
	b, ok := c.(Bool)
	if !ok {
		ev.typeError(x.pos(), c, "a Boolean")
	}
	return bool(b)
}

func (n *binNode) eval(ev *Evaluator, env *Env) Value {
	switch n.op {
	case syntax.AND:
		return boolValue(ev.evalBool(n.l, env) && ev.evalBool(n.r, env))
	case syntax.OR:
		return boolValue(ev.evalBool(n.l, env) || ev.evalBool(n.r, env))
	case syntax.IMPL:
		return boolValue(!ev.evalBool(n.l, env) || ev.evalBool(n.r, env))
	}
	l := n.l.eval(ev, env)
	r := n.r.eval(ev, env)
	switch n.op {
	case syntax.EQ:
		return boolValue(ev.equal(l, r, n.p))
	case syntax.NEQ:
		return boolValue(!ev.equal(l, r, n.p))
	case syntax.UPDATE:
		a := ev.forceAttrs(l, n.l.pos())
		b := ev.forceAttrs(r, n.r.pos())
		return update(a, b)
	case syntax.CONCAT:
		return concatLists(ev.forceList(l, n.l.pos()), ev.forceList(r, n.r.pos()))
	case syntax.MINUS, syntax.STAR, syntax.SLASH:
		return ev.arith(n.op, l, r, n.p)
	case syntax.LT:
		return boolValue(ev.lessThan(l, r, n.p))
	case syntax.GT:
		return boolValue(ev.lessThan(r, l, n.p))
	case syntax.LEQ:
		return boolValue(!ev.lessThan(r, l, n.p))
	case syntax.GEQ:
		return boolValue(!ev.lessThan(l, r, n.p))
	}
	panic("unknown operator " + n.op.String())
}

// concatLists returns a ++ b, sharing an operand when the other is empty.
func concatLists(a, b *List) *List {
	switch {
	case len(a.elems) == 0:
		return b
	case len(b.elems) == 0:
		return a
	}
	elems := make([]Value, len(a.elems)+len(b.elems))
	copy(elems, a.elems)
	copy(elems[len(a.elems):], b.elems)
	return &List{elems: elems}
}

// arith computes l op r for -, * and / with Nix's int/float rules.
func (ev *Evaluator) arith(op syntax.Token, l, r Value, pos syntax.Pos) Value {
	li, lok := l.(Int)
	ri, rok := r.(Int)
	if lok && rok {
		return ev.intArith(op, int64(li), int64(ri), pos)
	}
	_, lf := l.(Float)
	_, rf := r.(Float)
	if lf || rf {
		a, b := ev.forceFloat(l, pos), ev.forceFloat(r, pos)
		switch op {
		case syntax.MINUS:
			return Float(a - b)
		case syntax.STAR:
			return Float(a * b)
		case syntax.PLUS:
			return Float(a + b)
		}
		if b == 0 {
			ev.errorf(ErrEval, pos, "division by zero")
		}
		return Float(a / b)
	}
	if !lok {
		ev.typeError(pos, l, "an integer")
	}
	ev.typeError(pos, r, "an integer")
	return nil
}

func (ev *Evaluator) intArith(op syntax.Token, a, b int64, pos syntax.Pos) Value {
	switch op {
	case syntax.PLUS:
		s := a + b
		if (s > a) != (b > 0) {
			ev.errorf(ErrEval, pos, "integer overflow in adding %d + %d", a, b)
		}
		return Int(s)
	case syntax.MINUS:
		s := a - b
		if (s < a) != (b > 0) {
			ev.errorf(ErrEval, pos, "integer overflow in subtracting %d - %d", a, b)
		}
		return Int(s)
	case syntax.STAR:
		if a != 0 && b != 0 {
			p := a * b
			if p/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
				ev.errorf(ErrEval, pos, "integer overflow in multiplying %d * %d", a, b)
			}
			return Int(p)
		}
		return Int(0)
	}
	if b == 0 {
		ev.errorf(ErrEval, pos, "division by zero")
	}
	if a == math.MinInt64 && b == -1 {
		ev.errorf(ErrEval, pos, "integer overflow in dividing %d / %d", a, b)
	}
	return Int(a / b)
}

func (n *concatNode) eval(ev *Evaluator, env *Env) Value {
	first := n.parts[0].eval(ev, env)
	if !n.forceString {
		switch f := first.(type) {
		case Int, Float:
			return ev.addNumbers(n, f, env)
		case Path:
			return ev.concatPath(n, f, env)
		}
	}
	return ev.concatStrings(n, first, env)
}

func (ev *Evaluator) addNumbers(n *concatNode, first Value, env *Env) Value {
	acc := first
	for _, p := range n.parts[1:] {
		v := p.eval(ev, env)
		switch a := acc.(type) {
		case Int:
			switch b := v.(type) {
			case Int:
				acc = ev.intArith(syntax.PLUS, int64(a), int64(b), n.p)
			case Float:
				acc = Float(float64(a) + float64(b))
			default:
				ev.errorf(ErrEval, p.pos(), "cannot add %s to an integer", showType(v))
			}
		case Float:
			switch b := v.(type) {
			case Int:
				acc = Float(float64(a) + float64(b))
			case Float:
				acc = a + b
			default:
				ev.errorf(ErrEval, p.pos(), "cannot add %s to a float", showType(v))
			}
		}
	}
	return acc
}

func (ev *Evaluator) concatPath(n *concatNode, first Path, env *Env) Value {
	buf := []byte(first)
	for _, p := range n.parts[1:] {
		v := p.eval(ev, env)
		var cb contextBuilder
		s := ev.coerceToString(p.pos(), v, &cb, false, false)
		if cb.ctx.Len() > 0 {
			ev.errorf(ErrEval, n.p, "a string that refers to a store path cannot be appended to a path")
		}
		buf = append(buf, s...)
	}
	return Path(syntax.CanonPath(string(buf)))
}

func (ev *Evaluator) concatStrings(n *concatNode, first Value, env *Env) Value {
	var cb contextBuilder
	var buf []byte
	for i, p := range n.parts {
		v := first
		if i > 0 {
			v = p.eval(ev, env)
		}
		if s, ok := v.(*String); ok {
			buf = append(buf, s.s...)
			cb.add(s.ctx)
			continue
		}
		ev.pushMsg(p.pos(), "while evaluating a path segment")
		buf = append(buf, ev.coerceToString(p.pos(), v, &cb, false, true)...)
		ev.pop()
	}
	return NewStringContext(string(buf), cb.ctx)
}

// inheritEnv builds the environment holding the expressions of
// `inherit (e) …`, evaluated lazily in env.
func (ev *Evaluator) inheritEnv(from []expr, env *Env) *Env {
	if len(from) == 0 {
		return nil
	}
	e := newEnv(env, len(from))
	for i, x := range from {
		e.set(i, ev.lazy(x, env))
	}
	return e
}

// bindValue returns the lazy value of a static binding.
func (ev *Evaluator) bindValue(b *binding, valEnv, outer, inh *Env) Value {
	switch b.kind {
	case syntax.AttrInherited:
		return ev.lazy(b.x, outer)
	case syntax.AttrInheritedFrom:
		return ev.lazy(b.x, inh)
	}
	return ev.lazy(b.x, valEnv)
}

func (n *attrsNode) eval(ev *Evaluator, env *Env) Value {
	if len(n.static) == 0 && len(n.dynamic) == 0 {
		return emptyAttrs
	}
	var result *Attrs
	if len(n.dynamic) == 0 {
		result = newAttrsOfLen(len(n.static))
	} else {
		result = &Attrs{attrs: make([]Attr, len(n.static), len(n.static)+len(n.dynamic))}
	}
	attrs := result.attrs
	valEnv := env
	if n.rec {
		valEnv = newEnv(env, len(n.static))
	}
	inh := ev.inheritEnv(n.from, valEnv)
	overrides := -1
	if n.rec {
		overrides = n.overridesIndex()
	}
	for i := range n.static {
		b := &n.static[i]
		var v Value
		if overrides >= 0 && b.kind == syntax.AttrPlain {
			// With __overrides, every value is looked up lazily in the
			// environment, which the overrides then change.
			v = newThunk(b.x, valEnv)
		} else {
			v = ev.bindValue(b, valEnv, env, inh)
		}
		if n.rec {
			valEnv.set(i, v)
		}
		attrs[i] = Attr{Name: b.name, Pos: b.p, Value: v}
	}
	if overrides >= 0 {
		result = &Attrs{attrs: ev.applyOverrides(n, attrs, valEnv, overrides)}
	}
	if len(n.dynamic) > 0 {
		result = ev.addDynamicAttrs(result, n.dynamic, valEnv)
	}
	return result
}

// overridesIndex returns the index of a static __overrides attribute,
// or -1.
func (n *attrsNode) overridesIndex() int {
	for i := range n.static {
		if n.static[i].name == symOverrides {
			return i
		}
	}
	return -1
}

// applyOverrides implements the __overrides attribute of rec sets.
func (ev *Evaluator) applyOverrides(n *attrsNode, attrs []Attr, recEnv *Env, idx int) []Attr {
	ov := ev.forceAttrs(attrs[idx].Value, n.p)
	for _, o := range ov.attrs {
		found := false
		for i := range n.static {
			if n.static[i].name == o.Name {
				attrs[i] = o
				recEnv.set(i, o.Value)
				found = true
				break
			}
		}
		if !found {
			attrs = append(attrs, o)
		}
	}
	sortAttrs(attrs)
	return attrs
}

func (ev *Evaluator) addDynamicAttrs(a *Attrs, dyn []dynAttrNode, env *Env) *Attrs {
	for i := range dyn {
		d := &dyn[i]
		nv := d.name.eval(ev, env)
		if _, ok := nv.(Null); ok {
			continue
		}
		s, ok := nv.(*String)
		if !ok {
			ev.typeError(d.p, nv, "a string")
		}
		name := Intern(s.s)
		if prev, ok := a.Lookup(name); ok {
			ev.errorf(ErrEval, d.p, "dynamic attribute '%s' already defined at %s", name, ev.fset.Position(prev.Pos))
		}
		v := ev.lazy(d.expr, env)
		attrs := append(a.attrs, Attr{Name: name, Pos: d.p, Value: v})
		sortAttrs(attrs)
		a = &Attrs{attrs: attrs}
	}
	return a
}

func (n *letNode) eval(ev *Evaluator, env *Env) Value {
	e := newEnv(env, len(n.binds))
	inh := ev.inheritEnv(n.from, e)
	for i := range n.binds {
		e.set(i, ev.bindValue(&n.binds[i], e, env, inh))
	}
	return n.body.eval(ev, e)
}
