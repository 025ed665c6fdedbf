package syntax

// This file defines Format, which prints a syntax tree the way
// `nix-instantiate --parse` does.

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// Format returns the expression in Nix's --parse notation: fully
// parenthesised, attributes and formals in lexicographic order.
func Format(n Node) string {
	var b strings.Builder
	show(&b, n)
	return b.String()
}

// QuoteString returns s as a Nix string literal, escaping ", \, ${, and
// newline, carriage return and tab.
func QuoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString("\\n")
		case '\r':
			b.WriteString("\\r")
		case '\t':
			b.WriteString("\\t")
		case '$':
			if i+1 < len(s) && s[i+1] == '{' {
				b.WriteString("\\$")
			} else {
				b.WriteByte('$')
			}
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// FormatFloat formats f as C++'s ostream does by default (%g with six
// significant digits), which is how Nix prints floats.
func FormatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	case math.IsNaN(f):
		if math.Signbit(f) {
			return "-nan"
		}
		return "nan"
	}
	return strconv.FormatFloat(f, 'g', 6, 64)
}

func showAttrPath(b *strings.Builder, path []AttrName) {
	for i, n := range path {
		if i > 0 {
			b.WriteByte('.')
		}
		if n.Expr != nil {
			b.WriteString("\"${")
			show(b, n.Expr)
			b.WriteString("}\"")
		} else {
			b.WriteString(n.Name)
		}
	}
}

func showBindings(b *strings.Builder, a *Attrs) {
	sorted := append([]*AttrDef(nil), a.Attrs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	var inherits []string
	from := map[int][]string{}
	for _, d := range sorted {
		switch d.Kind {
		case AttrInherited:
			inherits = append(inherits, d.Name)
		case AttrInheritedFrom:
			i := d.Value.(*Select).E.(*InheritFrom).Index
			from[i] = append(from[i], d.Name)
		}
	}
	if len(inherits) > 0 {
		b.WriteString("inherit " + strings.Join(inherits, " ") + "; ")
	}
	for i, e := range a.InheritFrom {
		if len(from[i]) == 0 {
			continue
		}
		b.WriteString("inherit (")
		show(b, e)
		b.WriteString(") " + strings.Join(from[i], " ") + "; ")
	}
	for _, d := range sorted {
		if d.Kind == AttrPlain {
			b.WriteString(d.Name + " = ")
			show(b, d.Value)
			b.WriteString("; ")
		}
	}
	for _, d := range a.Dynamic {
		b.WriteString("\"${")
		show(b, d.Name)
		b.WriteString("}\" = ")
		show(b, d.Value)
		b.WriteString("; ")
	}
}

func showCall(b *strings.Builder, fn string, args ...Node) {
	b.WriteString("(" + fn)
	for _, a := range args {
		b.WriteByte(' ')
		show(b, a)
	}
	b.WriteByte(')')
}

func show(b *strings.Builder, n Node) {
	switch n := n.(type) {
	case *IntLit:
		b.WriteString(strconv.FormatInt(n.V, 10))
	case *FloatLit:
		b.WriteString(FormatFloat(n.V))
	case *StringLit:
		b.WriteString(QuoteString(n.V))
	case *PathLit:
		b.WriteString(n.V)
	case *SearchPath:
		b.WriteString("(__findFile __nixPath " + QuoteString(n.Path) + ")")
	case *Var:
		b.WriteString(n.Name)
	case *CurPos:
		b.WriteString("__curPos")
	case *InheritFrom:
		b.WriteString("«inherited»")
	case *Select:
		b.WriteByte('(')
		show(b, n.E)
		b.WriteString(").")
		showAttrPath(b, n.Path)
		if n.Default != nil {
			b.WriteString(" or (")
			show(b, n.Default)
			b.WriteByte(')')
		}
	case *HasAttr:
		b.WriteString("((")
		show(b, n.E)
		b.WriteString(") ? ")
		showAttrPath(b, n.Path)
		b.WriteByte(')')
	case *Attrs:
		if n.Rec {
			b.WriteString("rec ")
		}
		b.WriteString("{ ")
		showBindings(b, n)
		b.WriteByte('}')
	case *List:
		b.WriteString("[ ")
		for _, e := range n.Elems {
			b.WriteByte('(')
			show(b, e)
			b.WriteString(") ")
		}
		b.WriteByte(']')
	case *Lambda:
		showLambda(b, n)
	case *Call:
		b.WriteByte('(')
		show(b, n.Fn)
		for _, a := range n.Args {
			b.WriteByte(' ')
			show(b, a)
		}
		b.WriteByte(')')
	case *Let:
		b.WriteString("(let ")
		showBindings(b, n.Binds)
		b.WriteString("in ")
		show(b, n.Body)
		b.WriteByte(')')
	case *With:
		b.WriteString("(with ")
		show(b, n.Attrs)
		b.WriteString("; ")
		show(b, n.Body)
		b.WriteByte(')')
	case *If:
		b.WriteString("(if ")
		show(b, n.Cond)
		b.WriteString(" then ")
		show(b, n.Then)
		b.WriteString(" else ")
		show(b, n.Else)
		b.WriteByte(')')
	case *Assert:
		b.WriteString("assert ")
		show(b, n.Cond)
		b.WriteString("; ")
		show(b, n.Body)
	case *Not:
		b.WriteString("(! ")
		show(b, n.E)
		b.WriteByte(')')
	case *Neg:
		showCall(b, "__sub", &IntLit{}, n.E)
	case *BinOp:
		showBinOp(b, n)
	case *Interp:
		b.WriteByte('(')
		for i, p := range n.Parts {
			if i > 0 {
				b.WriteString(" + ")
			}
			show(b, p)
		}
		b.WriteByte(')')
	}
}

func showLambda(b *strings.Builder, n *Lambda) {
	b.WriteByte('(')
	if n.Formals != nil {
		b.WriteString("{ ")
		fs := append([]Formal(nil), n.Formals.Formals...)
		sort.Slice(fs, func(i, j int) bool { return fs[i].Name < fs[j].Name })
		for i, f := range fs {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(f.Name)
			if f.Default != nil {
				b.WriteString(" ? ")
				show(b, f.Default)
			}
		}
		if n.Formals.Ellipsis {
			if len(fs) > 0 {
				b.WriteString(", ")
			}
			b.WriteString("...")
		}
		b.WriteString(" }")
		if n.Arg != "" {
			b.WriteString(" @ ")
		}
	}
	b.WriteString(n.Arg + ": ")
	show(b, n.Body)
	b.WriteByte(')')
}

func showBinOp(b *strings.Builder, n *BinOp) {
	switch n.Op {
	case MINUS:
		showCall(b, "__sub", n.L, n.R)
	case STAR:
		showCall(b, "__mul", n.L, n.R)
	case SLASH:
		showCall(b, "__div", n.L, n.R)
	case LT:
		showCall(b, "__lessThan", n.L, n.R)
	case GT:
		showCall(b, "__lessThan", n.R, n.L)
	case LEQ:
		b.WriteString("(! ")
		showCall(b, "__lessThan", n.R, n.L)
		b.WriteByte(')')
	case GEQ:
		b.WriteString("(! ")
		showCall(b, "__lessThan", n.L, n.R)
		b.WriteByte(')')
	default:
		b.WriteByte('(')
		show(b, n.L)
		b.WriteString(" " + opText[n.Op] + " ")
		show(b, n.R)
		b.WriteByte(')')
	}
}
