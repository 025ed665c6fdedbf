package eval

// This file defines the builtins for attribute sets.

import (
	"github.com/frazil/frazil/eval/syntax"
)

func primAttrNames(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	a := ev.forceAttrs(args[0], pos)
	out := make([]Value, len(a.attrs))
	for i, at := range a.Lexical() {
		out[i] = at.Name.Value()
	}
	return NewList(out)
}

func primAttrValues(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	a := ev.forceAttrs(args[0], pos)
	out := make([]Value, len(a.attrs))
	for i, at := range a.Lexical() {
		out[i] = at.Value
	}
	return NewList(out)
}

func primGetAttr(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	name := Intern(ev.forceStringNoCtx(args[0], pos))
	a := ev.forceAttrs(args[1], pos)
	at, ok := a.Lookup(name)
	if !ok {
		ev.missingAttr(pos, name, a)
	}
	if t, ok := at.Value.(*Thunk); ok && !t.done() {
		ev.frames = append(ev.frames, frame{kind: frameAttr, name: name, pos: at.Pos})
		v := ev.forceThunk(t)
		ev.pop()
		return v
	}
	return at.Value
}

func primHasAttr(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	name := Intern(ev.forceStringNoCtx(args[0], pos))
	_, ok := ev.forceAttrs(args[1], pos).Get(name)
	return boolValue(ok)
}

func primRemoveAttrs(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	a := ev.forceAttrs(args[0], pos)
	l := ev.forceList(args[1], pos)
	if len(l.elems) == 0 || len(a.attrs) == 0 {
		return a
	}
	remove := make(map[Symbol]bool, len(l.elems))
	for _, e := range l.elems {
		remove[Intern(ev.forceStringNoCtx(e, pos))] = true
	}
	out := make([]Attr, 0, len(a.attrs))
	for _, at := range a.attrs {
		if !remove[at.Name] {
			out = append(out, at)
		}
	}
	if len(out) == len(a.attrs) {
		return a
	}
	return &Attrs{attrs: out}
}

func primListToAttrs(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	l := ev.forceList(args[0], pos)
	out := make([]Attr, 0, len(l.elems))
	for _, e := range l.elems {
		item := ev.forceAttrs(e, pos)
		nv, ok := item.Get(symName)
		if !ok {
			ev.errorf(ErrEval, pos, "attribute 'name' missing")
		}
		name := Intern(ev.forceStringNoCtx(nv, pos))
		val, ok := item.Lookup(symValue)
		if !ok {
			ev.errorf(ErrEval, pos, "attribute 'value' missing")
		}
		out = append(out, Attr{Name: name, Pos: val.Pos, Value: val.Value})
	}
	return NewAttrs(out)
}

func primIntersectAttrs(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	a := ev.forceAttrs(args[0], pos)
	b := ev.forceAttrs(args[1], pos)
	out := make([]Attr, 0, min(len(a.attrs), len(b.attrs)))
	if len(a.attrs) < len(b.attrs) {
		for _, at := range a.attrs {
			if x, ok := b.Lookup(at.Name); ok {
				out = append(out, *x)
			}
		}
	} else {
		for _, at := range b.attrs {
			if _, ok := a.Get(at.Name); ok {
				out = append(out, at)
			}
		}
	}
	if len(out) == 0 {
		return emptyAttrs
	}
	return &Attrs{attrs: out}
}

func primCatAttrs(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	name := Intern(ev.forceStringNoCtx(args[0], pos))
	l := ev.forceList(args[1], pos)
	var out []Value
	for _, e := range l.elems {
		if v, ok := ev.forceAttrs(e, pos).Get(name); ok {
			out = append(out, v)
		}
	}
	return NewList(out)
}

func primMapAttrs(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	f := args[0]
	a := ev.forceAttrs(args[1], pos)
	if len(a.attrs) == 0 {
		return a
	}
	out := make([]Attr, len(a.attrs))
	for i, at := range a.attrs {
		out[i] = Attr{Name: at.Name, Pos: at.Pos, Value: lazyApply2(f, at.Name.Value(), at.Value, pos)}
	}
	return &Attrs{attrs: out}
}

func primZipAttrsWith(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	f := args[0]
	l := ev.forceList(args[1], pos)
	groups := map[Symbol][]Value{}
	var order []Symbol
	for _, e := range l.elems {
		for _, at := range ev.forceAttrs(e, pos).attrs {
			if _, ok := groups[at.Name]; !ok {
				order = append(order, at.Name)
			}
			groups[at.Name] = append(groups[at.Name], at.Value)
		}
	}
	out := make([]Attr, len(order))
	for i, name := range order {
		out[i] = Attr{Name: name, Value: lazyApply2(f, name.Value(), NewList(groups[name]), pos)}
	}
	return NewAttrs(out)
}

func primFunctionArgs(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	f := ev.force(args[0])
	c, ok := f.(*Closure)
	if !ok {
		if isFunction(f) {
			return emptyAttrs
		}
		ev.typeError(pos, f, "a function")
	}
	if !c.lam.hasFormals {
		return emptyAttrs
	}
	out := make([]Attr, len(c.lam.formals))
	for i, fm := range c.lam.formals {
		out[i] = Attr{Name: fm.name, Pos: fm.p, Value: boolValue(fm.def != nil)}
	}
	return &Attrs{attrs: out}
}

func primUnsafeGetAttrPos(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	name := Intern(ev.forceStringNoCtx(args[0], pos))
	a := ev.forceAttrs(args[1], pos)
	at, ok := a.Lookup(name)
	if !ok {
		return Null{}
	}
	return ev.posAttrs(at.Pos)
}
