package eval

// This file defines the XML form of values: builtins.toXML and
// nix-instantiate --xml.

import (
	"sort"
	"strconv"
	"strings"

	"github.com/frazil/frazil/eval/syntax"
)

// xmlWriter writes indented XML as Nix's XMLWriter does.
type xmlWriter struct {
	b     strings.Builder
	depth int
}

type xmlAttr struct{ k, v string }

func (w *xmlWriter) attrs(as []xmlAttr) {
	sort.Slice(as, func(i, j int) bool { return as[i].k < as[j].k })
	for _, a := range as {
		w.b.WriteString(" " + a.k + "=\"")
		for i := 0; i < len(a.v); i++ {
			switch c := a.v[i]; c {
			case '"':
				w.b.WriteString("&quot;")
			case '<':
				w.b.WriteString("&lt;")
			case '>':
				w.b.WriteString("&gt;")
			case '&':
				w.b.WriteString("&amp;")
			case '\n':
				w.b.WriteString("&#xA;")
			default:
				w.b.WriteByte(c)
			}
		}
		w.b.WriteByte('"')
	}
}

func (w *xmlWriter) open(name string, as ...xmlAttr) {
	w.b.WriteString(strings.Repeat("  ", w.depth) + "<" + name)
	w.attrs(as)
	w.b.WriteString(">\n")
	w.depth++
}

func (w *xmlWriter) close(name string) {
	w.depth--
	w.b.WriteString(strings.Repeat("  ", w.depth) + "</" + name + ">\n")
}

func (w *xmlWriter) empty(name string, as ...xmlAttr) {
	w.b.WriteString(strings.Repeat("  ", w.depth) + "<" + name)
	w.attrs(as)
	w.b.WriteString(" />\n")
}

type xmlPrinter struct {
	ev        *Evaluator
	w         xmlWriter
	strict    bool
	location  bool
	cb        contextBuilder
	drvsSeen  map[string]bool
	fileNames bool
}

func (ev *Evaluator) toXML(v Value, strict, location bool, pos syntax.Pos) (string, *Context) {
	p := &xmlPrinter{ev: ev, strict: strict, location: location, drvsSeen: map[string]bool{}}
	p.w.b.WriteString("<?xml version='1.0' encoding='utf-8'?>\n")
	p.w.open("expr")
	p.value(v, pos)
	p.w.close("expr")
	return p.w.b.String(), p.cb.ctx
}

func primToXML(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	s, ctx := ev.toXML(args[0], true, false, pos)
	return NewStringContext(s, ctx)
}

// XML returns v in nix-instantiate --xml form.
func (ev *Evaluator) XML(v Value, strict, location bool) (s string, err error) {
	err = ev.try(func() { s, _ = ev.toXML(v, strict, location, syntax.NoPos) })
	return s, err
}

func (p *xmlPrinter) posAttrs(pos syntax.Pos) []xmlAttr {
	if !p.location || !pos.IsValid() {
		return nil
	}
	ps := p.ev.fset.Position(pos)
	as := []xmlAttr{{"line", strconv.Itoa(ps.Line)}, {"column", strconv.Itoa(ps.Column)}}
	if strings.HasPrefix(ps.File, "/") {
		as = append(as, xmlAttr{"path", ps.File})
	}
	return as
}

func (p *xmlPrinter) value(v Value, pos syntax.Pos) {
	if p.strict {
		v = p.ev.force(v)
	} else if t, ok := v.(*Thunk); ok {
		if !t.done() {
			p.w.empty("unevaluated")
			return
		}
		v = t.value()
	}
	switch x := v.(type) {
	case Int:
		p.w.empty("int", xmlAttr{"value", strconv.FormatInt(int64(x), 10)})
	case Bool:
		p.w.empty("bool", xmlAttr{"value", strconv.FormatBool(bool(x))})
	case *String:
		p.cb.add(x.ctx)
		p.w.empty("string", xmlAttr{"value", x.s})
	case Path:
		p.w.empty("path", xmlAttr{"value", string(x)})
	case Null:
		p.w.empty("null")
	case Float:
		p.w.empty("float", xmlAttr{"value", syntax.FormatFloat(float64(x))})
	case *Attrs:
		p.attrs(x)
	case *List:
		p.ev.enter(pos)
		p.w.open("list")
		for _, e := range x.elems {
			p.value(e, pos)
		}
		p.w.close("list")
		p.ev.leave()
	case *Closure:
		p.function(x)
	default:
		p.w.empty("unevaluated")
	}
}

func (p *xmlPrinter) attrs(a *Attrs) {
	p.ev.enter(syntax.NoPos)
	defer p.ev.leave()
	if !p.ev.isDerivation(a) {
		p.w.open("attrs")
		p.showAttrs(a)
		p.w.close("attrs")
		return
	}
	var as []xmlAttr
	drvPath := ""
	for _, k := range []Symbol{symDrvPath, symOutPath} {
		at, ok := a.Lookup(k)
		if !ok {
			continue
		}
		v := at.Value
		if p.strict {
			v = p.ev.force(v)
		}
		if s, ok := v.(*String); ok {
			as = append(as, xmlAttr{k.String(), s.s})
			if k == symDrvPath {
				drvPath = s.s
			}
		}
	}
	p.w.open("derivation", as...)
	if drvPath != "" && !p.drvsSeen[drvPath] {
		p.drvsSeen[drvPath] = true
		p.showAttrs(a)
	} else {
		p.w.empty("repeated")
	}
	p.w.close("derivation")
}

func (p *xmlPrinter) showAttrs(a *Attrs) {
	for _, at := range a.Lexical() {
		as := append([]xmlAttr{{"name", at.Name.String()}}, p.posAttrs(at.Pos)...)
		p.w.open("attr", as...)
		p.value(at.Value, at.Pos)
		p.w.close("attr")
	}
}

func (p *xmlPrinter) function(c *Closure) {
	lam := c.lam
	p.w.open("function", p.posAttrs(lam.p)...)
	if lam.hasFormals {
		var as []xmlAttr
		if lam.hasArg {
			as = append(as, xmlAttr{"name", lam.arg.String()})
		}
		if lam.ellipsis {
			as = append(as, xmlAttr{"ellipsis", "1"})
		}
		p.w.open("attrspat", as...)
		names := make([]string, len(lam.formals))
		for i, f := range lam.formals {
			names[i] = f.name.String()
		}
		sort.Strings(names)
		for _, n := range names {
			p.w.empty("attr", xmlAttr{"name", n})
		}
		p.w.close("attrspat")
	} else {
		p.w.empty("varpat", xmlAttr{"name", lam.arg.String()})
	}
	p.w.close("function")
}
