package eval

// This file defines how values are printed by nix-instantiate --eval,
// and deep forcing (--strict, deepSeq).

import (
	"strconv"
	"strings"

	"github.com/frazil/frazil/eval/syntax"
)

// printer prints values in nix-instantiate's notation. Sets and lists
// seen before (by identity) print as «repeated»; thunks not yet
// evaluated print as <CODE>.
type printer struct {
	ev   *Evaluator
	b    strings.Builder
	seen map[any]bool
}

func (ev *Evaluator) printValue(v Value) string {
	p := &printer{ev: ev, seen: map[any]bool{}}
	p.print(v)
	return p.b.String()
}

func (p *printer) print(v Value) {
	if t, ok := v.(*Thunk); ok {
		switch {
		case t.done():
			v = t.value()
		case t.evaluating():
			p.b.WriteString("«potential infinite recursion»")
			return
		default:
			p.b.WriteString("<CODE>")
			return
		}
	}
	switch x := v.(type) {
	case Int:
		p.b.WriteString(strconv.FormatInt(int64(x), 10))
	case Float:
		p.b.WriteString(syntax.FormatFloat(float64(x)))
	case Bool:
		if x {
			p.b.WriteString("true")
		} else {
			p.b.WriteString("false")
		}
	case Null:
		p.b.WriteString("null")
	case *String:
		p.b.WriteString(syntax.QuoteString(x.s))
	case Path:
		p.b.WriteString(string(x))
	case *Attrs:
		if len(x.attrs) > 0 {
			if p.seen[x] {
				p.b.WriteString("«repeated»")
				return
			}
			p.seen[x] = true
		}
		p.ev.enter(syntax.NoPos)
		p.b.WriteString("{ ")
		for _, a := range x.Lexical() {
			p.b.WriteString(attrNameString(a.Name.String()))
			p.b.WriteString(" = ")
			p.print(a.Value)
			p.b.WriteString("; ")
		}
		p.b.WriteByte('}')
		p.ev.leave()
	case *List:
		if len(x.elems) > 0 {
			if p.seen[x] {
				p.b.WriteString("«repeated»")
				return
			}
			p.seen[x] = true
		}
		p.ev.enter(syntax.NoPos)
		p.b.WriteString("[ ")
		for _, e := range x.elems {
			p.print(e)
			p.b.WriteByte(' ')
		}
		p.b.WriteByte(']')
		p.ev.leave()
	case *Closure:
		p.b.WriteString("<LAMBDA>")
	case *Builtin:
		p.b.WriteString("<PRIMOP>")
	case *PartialApp:
		p.b.WriteString("<PRIMOP-APP>")
	default:
		p.b.WriteString("«unknown»")
	}
}

// attrNameString prints an attribute name: bare if it is a valid
// identifier, else quoted.
func attrNameString(s string) string {
	if isValidIdentifier(s) {
		return s
	}
	return syntax.QuoteString(s)
}

func isValidIdentifier(s string) bool {
	if s == "" {
		return false
	}
	switch s {
	case "if", "then", "else", "assert", "with", "let", "in", "rec", "inherit":
		return false
	}
	if c := s[0]; '0' <= c && c <= '9' || c == '-' || c == '\'' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '\'') {
			return false
		}
	}
	return true
}

// forceDeep evaluates v and, recursively, every attribute value and list
// element, as --strict and builtins.deepSeq do.
func (ev *Evaluator) forceDeep(v Value, pos syntax.Pos) {
	seen := map[any]bool{}
	ev.forceDeepRec(v, pos, seen)
}

func (ev *Evaluator) forceDeepRec(v Value, pos syntax.Pos, seen map[any]bool) {
	if t, ok := v.(*Thunk); ok {
		if seen[t] {
			return
		}
		seen[t] = true
	}
	v = ev.force(v)
	switch x := v.(type) {
	case *Attrs:
		if seen[x] {
			return
		}
		seen[x] = true
		ev.enter(pos)
		for _, a := range x.attrs {
			ev.frames = append(ev.frames, frame{kind: frameAttr, name: a.Name, pos: a.Pos})
			ev.forceDeepRec(a.Value, pos, seen)
			ev.frames = ev.frames[:len(ev.frames)-1]
		}
		ev.leave()
	case *List:
		if seen[x] {
			return
		}
		seen[x] = true
		ev.enter(pos)
		for _, e := range x.elems {
			ev.forceDeepRec(e, pos, seen)
		}
		ev.leave()
	}
}

// showValueShort prints a value for an error message, abbreviated as
// Nix does: at most 10 levels deep, 10 attributes and 10 list items in
// all, strings cut after 1024 bytes; nothing is evaluated.
func (ev *Evaluator) showValueShort(v Value) string {
	p := &shortPrinter{ev: ev, seen: map[any]bool{}}
	p.print(v, 0)
	return p.b.String()
}

type shortPrinter struct {
	ev                  *Evaluator
	b                   strings.Builder
	seen                map[any]bool
	attrsPrinted, items int
}

const (
	shortMaxDepth  = 10
	shortMaxAttrs  = 10
	shortMaxItems  = 10
	shortMaxString = 1024
)

func (p *shortPrinter) elided(n int, one, many string) {
	what := many
	if n == 1 {
		what = one
	}
	p.b.WriteString("«" + strconv.Itoa(n) + " " + what + " elided»")
}

func (p *shortPrinter) print(v Value, depth int) {
	if t, ok := v.(*Thunk); ok {
		switch {
		case t.done():
			v = t.value()
		case t.evaluating():
			p.b.WriteString("«potential infinite recursion»")
			return
		default:
			p.b.WriteString("«thunk»")
			return
		}
	}
	switch x := v.(type) {
	case *Attrs:
		p.attrs(x, depth)
	case *List:
		p.list(x, depth)
	case *Closure:
		p.b.WriteString("«lambda")
		if x.lam.name != "" {
			p.b.WriteString(" " + x.lam.name)
		}
		p.b.WriteString(" @ " + p.ev.fset.Position(x.lam.p).String() + "»")
	case *Builtin:
		p.b.WriteString("«primop " + x.Name + "»")
	case *PartialApp:
		p.b.WriteString("«partially applied primop " + x.fn.Name + "»")
	case *String:
		if len(x.s) > shortMaxString {
			p.b.WriteString(syntax.QuoteString(x.s[:shortMaxString]))
			p.b.WriteString("«" + strconv.Itoa(len(x.s)-shortMaxString) + " bytes elided»")
			return
		}
		p.b.WriteString(syntax.QuoteString(x.s))
	default:
		pr := &printer{ev: p.ev, seen: map[any]bool{}}
		pr.print(v)
		p.b.WriteString(pr.b.String())
	}
}

func (p *shortPrinter) attrs(a *Attrs, depth int) {
	if len(a.attrs) > 0 {
		if p.seen[a] {
			p.b.WriteString("«repeated»")
			return
		}
		p.seen[a] = true
	}
	if depth >= shortMaxDepth {
		p.b.WriteString("{ ... }")
		return
	}
	p.b.WriteString("{ ")
	for i, at := range a.Lexical() {
		if p.attrsPrinted >= shortMaxAttrs {
			p.elided(len(a.attrs)-i, "attribute", "attributes")
			p.b.WriteByte(' ')
			break
		}
		p.b.WriteString(attrNameString(at.Name.String()) + " = ")
		p.print(at.Value, depth+1)
		p.b.WriteString("; ")
		p.attrsPrinted++
	}
	p.b.WriteByte('}')
}

func (p *shortPrinter) list(l *List, depth int) {
	if len(l.elems) > 0 {
		if p.seen[l] {
			p.b.WriteString("«repeated»")
			return
		}
		p.seen[l] = true
	}
	if depth >= shortMaxDepth {
		p.b.WriteString("[ ... ]")
		return
	}
	p.b.WriteString("[ ")
	for i, e := range l.elems {
		if p.items >= shortMaxItems {
			p.elided(len(l.elems)-i, "item", "items")
			p.b.WriteByte(' ')
			break
		}
		p.print(e, depth+1)
		p.b.WriteByte(' ')
		p.items++
	}
	p.b.WriteByte(']')
}
