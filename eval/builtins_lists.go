package eval

// This file defines the builtins for lists.

import (
	"sort"

	"github.com/frazil/frazil/eval/syntax"
)

func primMap(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	f := args[0]
	l := ev.forceList(args[1], pos)
	if len(l.elems) == 0 {
		return emptyList
	}
	out := newListOfLen(len(l.elems))
	for i, e := range l.elems {
		out.elems[i] = lazyApply(f, e, pos)
	}
	return out
}

// callPred calls a predicate and forces a Boolean result.
func (ev *Evaluator) callPred(f, x Value, pos syntax.Pos) bool {
	return ev.forceBool(ev.call(f, x, pos), pos)
}

func primFilter(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	f := ev.forceFunction(args[0], pos)
	l := ev.forceList(args[1], pos)
	out := make([]Value, 0, len(l.elems))
	for _, e := range l.elems {
		if ev.callPred(f, e, pos) {
			out = append(out, e)
		}
	}
	if len(out) == len(l.elems) {
		return l
	}
	return NewList(out)
}

func primLength(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	return Int(len(ev.forceList(args[0], pos).elems))
}

func primElemAt(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	l := ev.forceList(args[0], pos)
	n := ev.forceInt(args[1], pos)
	if n < 0 || n >= int64(len(l.elems)) {
		ev.errorf(ErrEval, pos, "'builtins.elemAt' called with index %d on a list of size %d", n, len(l.elems))
	}
	return l.elems[n]
}

func primHead(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	l := ev.forceList(args[0], pos)
	if len(l.elems) == 0 {
		ev.errorf(ErrEval, pos, "'builtins.head' called on an empty list")
	}
	return l.elems[0]
}

func primTail(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	l := ev.forceList(args[0], pos)
	if len(l.elems) == 0 {
		ev.errorf(ErrEval, pos, "'builtins.tail' called on an empty list")
	}
	return NewList(l.elems[1:])
}

func primGenList(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	n := ev.forceInt(args[1], pos)
	if n < 0 {
		ev.errorf(ErrEval, pos, "cannot create list of size %d", n)
	}
	f := args[0]
	if n > 0 {
		f = ev.forceFunction(f, pos)
	}
	out := make([]Value, n)
	for i := range out {
		out[i] = lazyApply(f, Int(i), pos)
	}
	return NewList(out)
}

func primFoldlStrict(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	op := args[0]
	acc := args[1]
	l := ev.forceList(args[2], pos)
	if len(l.elems) == 0 {
		return ev.force(acc)
	}
	op = ev.forceFunction(op, pos)
	for _, e := range l.elems {
		acc = ev.call(ev.call(op, acc, pos), e, pos)
		acc = ev.force(acc)
	}
	return acc
}

func primConcatLists(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	l := ev.forceList(args[0], pos)
	return ev.concatListValues(l.elems, pos)
}

// concatListValues concatenates lists; a single non-empty list is
// returned as is.
func (ev *Evaluator) concatListValues(lists []Value, pos syntax.Pos) Value {
	n := 0
	var only *List
	nonEmpty := 0
	for _, v := range lists {
		l := ev.forceList(v, pos)
		if len(l.elems) > 0 {
			only = l
			nonEmpty++
		}
		n += len(l.elems)
	}
	switch nonEmpty {
	case 0:
		return emptyList
	case 1:
		return only
	}
	out := make([]Value, 0, n)
	for _, v := range lists {
		out = append(out, ev.force(v).(*List).elems...)
	}
	return &List{elems: out}
}

func primConcatMap(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	f := ev.forceFunction(args[0], pos)
	l := ev.forceList(args[1], pos)
	parts := make([]Value, len(l.elems))
	for i, e := range l.elems {
		parts[i] = ev.call(f, e, pos)
	}
	return ev.concatListValues(parts, pos)
}

func primAny(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	f := ev.forceFunction(args[0], pos)
	for _, e := range ev.forceList(args[1], pos).elems {
		if ev.callPred(f, e, pos) {
			return True
		}
	}
	return False
}

func primAll(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	f := ev.forceFunction(args[0], pos)
	for _, e := range ev.forceList(args[1], pos).elems {
		if !ev.callPred(f, e, pos) {
			return False
		}
	}
	return True
}

func primElem(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	for _, e := range ev.forceList(args[1], pos).elems {
		if ev.equal(args[0], e, pos) {
			return True
		}
	}
	return False
}

func primSort(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	f := ev.forceFunction(args[0], pos)
	l := ev.forceList(args[1], pos)
	if len(l.elems) == 0 {
		return l
	}
	out := append([]Value(nil), l.elems...)
	for i := range out {
		out[i] = ev.force(out[i])
	}
	// A comparator that is the lessThan builtin needs no calls.
	if b, ok := f.(*Builtin); ok && b.Name == "lessThan" {
		sort.SliceStable(out, func(i, j int) bool { return ev.lessThan(out[i], out[j], pos) })
	} else {
		sort.SliceStable(out, func(i, j int) bool {
			return ev.forceBool(ev.call(ev.call(f, out[i], pos), out[j], pos), pos)
		})
	}
	return &List{elems: out}
}

func primPartition(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	f := ev.forceFunction(args[0], pos)
	l := ev.forceList(args[1], pos)
	var right, wrong []Value
	for _, e := range l.elems {
		if ev.callPred(f, e, pos) {
			right = append(right, e)
		} else {
			wrong = append(wrong, e)
		}
	}
	return NewAttrs([]Attr{
		{Name: symRight, Value: NewList(right)},
		{Name: symWrong, Value: NewList(wrong)},
	})
}

func primGroupBy(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	f := ev.forceFunction(args[0], pos)
	l := ev.forceList(args[1], pos)
	groups := map[Symbol][]Value{}
	var order []Symbol
	for _, e := range l.elems {
		key := Intern(ev.forceStringNoCtx(ev.call(f, e, pos), pos))
		if _, ok := groups[key]; !ok {
			order = append(order, key)
		}
		groups[key] = append(groups[key], e)
	}
	out := make([]Attr, len(order))
	for i, k := range order {
		out[i] = Attr{Name: k, Value: NewList(groups[k])}
	}
	return NewAttrs(out)
}

func primGenericClosure(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	a := ev.forceAttrs(args[0], pos)
	start, ok := a.Get(symStartSet)
	if !ok {
		ev.errorf(ErrEval, pos, "attribute 'startSet' missing")
	}
	op, ok := a.Get(symOperator)
	if !ok {
		ev.errorf(ErrEval, pos, "attribute 'operator' missing")
	}
	work := append([]Value(nil), ev.forceList(start, pos).elems...)
	var seen []Value // keys, kept sorted
	var out []Value
	for len(work) > 0 {
		e := ev.force(work[0])
		work = work[1:]
		item := ev.forceAttrs(e, pos)
		key, ok := item.Get(symKey)
		if !ok {
			ev.errorf(ErrEval, pos, "attribute 'key' missing")
		}
		key = ev.force(key)
		i := sort.Search(len(seen), func(i int) bool { return !ev.lessThan(seen[i], key, pos) })
		if i < len(seen) && !ev.lessThan(key, seen[i], pos) {
			continue
		}
		seen = append(seen, nil)
		copy(seen[i+1:], seen[i:])
		seen[i] = key
		out = append(out, e)
		work = append(work, ev.forceList(ev.call(op, e, pos), pos).elems...)
	}
	return NewList(out)
}
