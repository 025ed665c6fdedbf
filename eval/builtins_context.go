package eval

// This file defines the builtins that inspect and change string
// contexts.

import (
	"sort"
	"strings"

	"github.com/frazil/frazil/eval/syntax"
	"github.com/frazil/frazil/store/storepath"
)

var (
	symAllOutputs = Intern("allOutputs")
)

func primHasContext(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	return boolValue(ev.forceString(args[0], pos).ctx.Len() > 0)
}

func primUnsafeDiscardStringContext(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	var cb contextBuilder
	return NewString(ev.coerceToString(pos, args[0], &cb, false, true))
}

func primUnsafeDiscardOutputDependency(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	var cb contextBuilder
	s := ev.coerceToString(pos, args[0], &cb, false, true)
	elems := cb.ctx.Elems()
	out := make([]string, len(elems))
	for i, c := range elems {
		out[i] = strings.TrimPrefix(c, "=")
	}
	return NewStringContext(s, NewContext(out...))
}

func primAddDrvOutputDependencies(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	var cb contextBuilder
	s := ev.coerceToString(pos, args[0], &cb, false, true)
	elems := cb.ctx.Elems()
	if len(elems) != 1 {
		ev.errorf(ErrEval, pos, "context of string '%s' must have exactly one element, but has %d", s, len(elems))
	}
	c := elems[0]
	switch {
	case c[0] == '=':
		return NewStringContext(s, cb.ctx)
	case c[0] == '!':
		ev.errorf(ErrEval, pos, "`addDrvOutputDependencies` can only act on derivations, not on a derivation output such as '%s'", strings.SplitN(c, "!", 3)[1])
	case !strings.HasSuffix(c, ".drv"):
		ev.errorf(ErrEval, pos, "path '%s' is not a derivation", c)
	}
	return NewStringContext(s, NewContext("="+c))
}

// contextInfo is what getContext reports for one store path.
type contextInfo struct {
	path, allOutputs bool
	outputs          []string
}

func primGetContext(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	s := ev.forceString(args[0], pos)
	infos := map[string]*contextInfo{}
	get := func(p string) *contextInfo {
		if infos[p] == nil {
			infos[p] = &contextInfo{}
		}
		return infos[p]
	}
	for _, c := range s.ctx.Elems() {
		switch c[0] {
		case '=':
			get(c[1:]).allOutputs = true
		case '!':
			parts := strings.SplitN(c, "!", 3)
			info := get(parts[2])
			info.outputs = append(info.outputs, parts[1])
		default:
			get(c).path = true
		}
	}
	out := make([]Attr, 0, len(infos))
	for p, info := range infos {
		var as []Attr
		if info.allOutputs {
			as = append(as, Attr{Name: symAllOutputs, Value: True})
		}
		if len(info.outputs) > 0 {
			sort.Strings(info.outputs)
			outs := make([]Value, len(info.outputs))
			for i, o := range info.outputs {
				outs[i] = NewString(o)
			}
			as = append(as, Attr{Name: symOutputs, Value: NewList(outs)})
		}
		if info.path {
			as = append(as, Attr{Name: symPath, Value: True})
		}
		out = append(out, Attr{Name: Intern(p), Value: NewAttrs(as)})
	}
	return NewAttrs(out)
}

func primAppendContext(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	s := ev.forceString(args[0], pos)
	a := ev.forceAttrs(args[1], pos)
	var elems []string
	for _, at := range a.attrs {
		p := at.Name.String()
		if _, err := storepath.Parse(p); err != nil {
			ev.errorf(ErrEval, at.Pos, "context key '%s' is not a store path", p)
		}
		info := ev.forceAttrs(at.Value, at.Pos)
		if v, ok := info.Get(symPath); ok && ev.forceBool(v, at.Pos) {
			elems = append(elems, p)
		}
		if v, ok := info.Get(symAllOutputs); ok && ev.forceBool(v, at.Pos) {
			if !strings.HasSuffix(p, ".drv") {
				ev.errorf(ErrEval, at.Pos, "tried to add all-outputs context of %s, which is not a derivation, to a string", p)
			}
			elems = append(elems, "="+p)
		}
		if v, ok := info.Get(symOutputs); ok {
			outs := ev.forceList(v, at.Pos)
			if len(outs.elems) > 0 && !strings.HasSuffix(p, ".drv") {
				ev.errorf(ErrEval, at.Pos, "tried to add derivation output context of %s, which is not a derivation, to a string", p)
			}
			for _, o := range outs.elems {
				elems = append(elems, "!"+ev.forceStringNoCtx(o, at.Pos)+"!"+p)
			}
		}
	}
	return NewStringContext(s.s, s.ctx.union(NewContext(elems...)))
}
