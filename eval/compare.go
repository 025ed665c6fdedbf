package eval

// This file defines equality and ordering of values.

import (
	"strings"

	"github.com/frazil/frazil/eval/syntax"
)

// equal implements ==: deep structural equality, integers equal to floats
// of the same value, derivations compared by outPath, functions never
// equal (except a value compared with itself inside a list or set).
func (ev *Evaluator) equal(a, b Value, pos syntax.Pos) bool {
	a, b = ev.force(a), ev.force(b)
	switch x := a.(type) {
	case Int:
		switch y := b.(type) {
		case Int:
			return x == y
		case Float:
			return float64(x) == float64(y)
		}
		return false
	case Float:
		switch y := b.(type) {
		case Int:
			return float64(x) == float64(y)
		case Float:
			return x == y
		}
		return false
	case Bool:
		y, ok := b.(Bool)
		return ok && x == y
	case Null:
		_, ok := b.(Null)
		return ok
	case *String:
		y, ok := b.(*String)
		return ok && x.s == y.s
	case Path:
		y, ok := b.(Path)
		return ok && x == y
	case *List:
		y, ok := b.(*List)
		if !ok || len(x.elems) != len(y.elems) {
			return false
		}
		if x == y {
			return true
		}
		ev.enter(pos)
		for i := range x.elems {
			if !ev.equalElem(x.elems[i], y.elems[i], pos) {
				ev.leave()
				return false
			}
		}
		ev.leave()
		return true
	case *Attrs:
		y, ok := b.(*Attrs)
		if !ok {
			return false
		}
		return ev.equalAttrs(x, y, pos)
	}
	return false
}

// equalElem compares two elements of lists or sets: identical values
// (the same thunk, closure or container) are equal without evaluation,
// as in Nix, where such elements share one value.
func (ev *Evaluator) equalElem(a, b Value, pos syntax.Pos) bool {
	if identical(a, b) {
		ev.force(a)
		return true
	}
	return ev.equal(a, b, pos)
}

func identical(a, b Value) bool {
	switch x := a.(type) {
	case *Thunk:
		if y, ok := b.(*Thunk); ok && x == y {
			return true
		}
		if x.done() {
			return identical(x.value(), b)
		}
	case *Closure:
		y, ok := b.(*Closure)
		return ok && x == y
	case *Builtin:
		y, ok := b.(*Builtin)
		return ok && x == y
	case *PartialApp:
		y, ok := b.(*PartialApp)
		return ok && x == y
	case *Attrs:
		y, ok := b.(*Attrs)
		return ok && x == y
	case *List:
		y, ok := b.(*List)
		return ok && x == y && len(x.elems) > 0
	}
	if y, ok := b.(*Thunk); ok && y.done() {
		return identical(a, y.value())
	}
	return false
}

func (ev *Evaluator) equalAttrs(x, y *Attrs, pos syntax.Pos) bool {
	if x == y {
		return true
	}
	if ev.isDerivation(x) && ev.isDerivation(y) {
		xo, ok1 := x.Get(symOutPath)
		yo, ok2 := y.Get(symOutPath)
		if ok1 && ok2 {
			return ev.equal(xo, yo, pos)
		}
	}
	if len(x.attrs) != len(y.attrs) {
		return false
	}
	ev.enter(pos)
	defer ev.leave()
	for i := range x.attrs {
		if x.attrs[i].Name != y.attrs[i].Name || !ev.equalElem(x.attrs[i].Value, y.attrs[i].Value, pos) {
			return false
		}
	}
	return true
}

// isDerivation reports whether a set has type = "derivation".
func (ev *Evaluator) isDerivation(a *Attrs) bool {
	t, ok := a.Get(symType)
	if !ok {
		return false
	}
	s, ok := ev.force(t).(*String)
	return ok && s.s == "derivation"
}

// lessThan implements <: numbers, strings, paths, and lists
// lexicographically.
func (ev *Evaluator) lessThan(a, b Value, pos syntax.Pos) bool {
	a, b = ev.force(a), ev.force(b)
	switch x := a.(type) {
	case Int:
		switch y := b.(type) {
		case Int:
			return x < y
		case Float:
			return float64(x) < float64(y)
		}
	case Float:
		switch y := b.(type) {
		case Int:
			return float64(x) < float64(y)
		case Float:
			return x < y
		}
	case *String:
		if y, ok := b.(*String); ok {
			return strings.Compare(x.s, y.s) < 0
		}
	case Path:
		if y, ok := b.(Path); ok {
			return x < y
		}
	case *List:
		if y, ok := b.(*List); ok {
			ev.enter(pos)
			defer ev.leave()
			for i := 0; ; i++ {
				switch {
				case i == len(y.elems):
					return false
				case i == len(x.elems):
					return true
				case !ev.equal(x.elems[i], y.elems[i], pos):
					return ev.lessThan(x.elems[i], y.elems[i], pos)
				}
			}
		}
	}
	if a.TypeName() != b.TypeName() || (isNumber(a) != isNumber(b)) {
		ev.errorf(ErrEval, pos, "cannot compare %s with %s; values are %s and %s", showType(a), showType(b), ev.showValueShort(a), ev.showValueShort(b))
	}
	ev.errorf(ErrEval, pos, "cannot compare %s with %s; values of that type are incomparable (values are %s and %s)", showType(a), showType(b), ev.showValueShort(a), ev.showValueShort(b))
	return false
}

func isNumber(v Value) bool {
	switch v.(type) {
	case Int, Float:
		return true
	}
	return false
}
