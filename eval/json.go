package eval

// This file defines builtins.toJSON and builtins.fromJSON (also used by
// nix-instantiate --json and __structuredAttrs).

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/frazil/frazil/eval/syntax"
)

func primToJSON(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	var cb contextBuilder
	var b strings.Builder
	ev.writeJSON(&b, args[0], pos, &cb, true)
	return NewStringContext(b.String(), cb.ctx)
}

// writeJSON writes v as JSON, forcing it deeply; paths are copied to the
// store when copyToStore is set.
func (ev *Evaluator) writeJSON(b *strings.Builder, v Value, pos syntax.Pos, cb *contextBuilder, copyToStore bool) {
	v = ev.force(v)
	switch x := v.(type) {
	case Int:
		b.WriteString(strconv.FormatInt(int64(x), 10))
	case Float:
		b.WriteString(syntax.FormatFloat(float64(x)))
	case Bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case Null:
		b.WriteString("null")
	case *String:
		cb.add(x.ctx)
		if !utf8.ValidString(x.s) {
			ev.errorf(ErrEval, pos, "JSON serialization error: invalid UTF-8 byte in string %s", syntax.QuoteString(x.s))
		}
		writeJSONString(b, x.s)
	case Path:
		if copyToStore {
			p := ev.copyPathToStore(pos, string(x))
			cb.add(NewContext(p))
			writeJSONString(b, p)
		} else {
			writeJSONString(b, string(x))
		}
	case *List:
		ev.enter(pos)
		b.WriteByte('[')
		for i, e := range x.elems {
			if i > 0 {
				b.WriteByte(',')
			}
			ev.writeJSON(b, e, pos, cb, copyToStore)
		}
		b.WriteByte(']')
		ev.leave()
	case *Attrs:
		if _, ok := x.Get(symToString); ok {
			writeJSONString(b, ev.coerceToString(pos, x, cb, false, copyToStore))
			return
		}
		if o, ok := x.Get(symOutPath); ok {
			ev.writeJSON(b, o, pos, cb, copyToStore)
			return
		}
		ev.enter(pos)
		b.WriteByte('{')
		for i, a := range x.Lexical() {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, a.Name.String())
			b.WriteByte(':')
			ev.frames = append(ev.frames, frame{kind: frameAttr, name: a.Name, pos: a.Pos})
			ev.writeJSON(b, a.Value, pos, cb, copyToStore)
			ev.pop()
		}
		b.WriteByte('}')
		ev.leave()
	default:
		ev.errorf(ErrEval, pos, "cannot convert %s to JSON", showType(v))
	}
}

func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\f':
			b.WriteString(`\f`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789abcdef"[c>>4])
			b.WriteByte("0123456789abcdef"[c&15])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

func primFromJSON(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	s := ev.forceString(args[0], pos)
	p := &jsonParser{s: s.s}
	v, err := p.parse()
	if err != "" {
		ev.errorf(ErrEval, pos, "%s", err)
	}
	return v
}

// jsonParser parses JSON into Nix values, keeping integers exact and
// bytes as they are.
type jsonParser struct {
	s     string
	i     int
	err   string
	depth int
}

func (p *jsonParser) parse() (Value, string) {
	v := p.value()
	p.space()
	if p.err == "" && p.i < len(p.s) {
		p.fail("unexpected trailing characters")
	}
	if p.err != "" {
		return nil, p.err
	}
	return v, ""
}

func (p *jsonParser) fail(msg string) {
	if p.err == "" {
		p.err = "while parsing JSON at offset " + strconv.Itoa(p.i) + ": " + msg
	}
}

func (p *jsonParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *jsonParser) value() Value {
	p.space()
	if p.err != "" {
		return Null{}
	}
	if p.i >= len(p.s) {
		p.fail("unexpected end of input")
		return Null{}
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		s, _ := p.str()
		p.checkNUL(s)
		return NewString(s)
	case c == '-' || isDigitByte(c):
		return p.number()
	case strings.HasPrefix(p.s[p.i:], "true"):
		p.i += 4
		return True
	case strings.HasPrefix(p.s[p.i:], "false"):
		p.i += 5
		return False
	case strings.HasPrefix(p.s[p.i:], "null"):
		p.i += 4
		return Null{}
	}
	p.fail("syntax error")
	return Null{}
}

func (p *jsonParser) object() Value {
	p.i++
	p.depth++
	if p.depth > 10000 {
		p.fail("nesting too deep")
		return Null{}
	}
	defer func() { p.depth-- }()
	var attrs []Attr
	p.space()
	if p.i < len(p.s) && p.s[p.i] == '}' {
		p.i++
		return emptyAttrs
	}
	for p.err == "" {
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != '"' {
			p.fail("expected a string as object key")
			break
		}
		k, _ := p.str()
		p.checkNUL(k)
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			p.fail("expected ':'")
			break
		}
		p.i++
		v := p.value()
		attrs = append(attrs, Attr{Name: Intern(k), Value: v})
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == '}' {
			p.i++
			break
		}
		p.fail("expected ',' or '}'")
	}
	// For duplicate keys the last one wins.
	for i, j := 0, len(attrs)-1; i < j; i, j = i+1, j-1 {
		attrs[i], attrs[j] = attrs[j], attrs[i]
	}
	return NewAttrs(attrs)
}

func (p *jsonParser) array() Value {
	p.i++
	p.depth++
	if p.depth > 10000 {
		p.fail("nesting too deep")
		return Null{}
	}
	defer func() { p.depth-- }()
	var elems []Value
	p.space()
	if p.i < len(p.s) && p.s[p.i] == ']' {
		p.i++
		return emptyList
	}
	for p.err == "" {
		elems = append(elems, p.value())
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == ']' {
			p.i++
			break
		}
		p.fail("expected ',' or ']'")
	}
	return NewList(elems)
}

func (p *jsonParser) str() (string, bool) {
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return b.String(), true
		case c == '\\':
			if p.i+1 >= len(p.s) {
				p.fail("unterminated string")
				return "", false
			}
			p.i++
			switch e := p.s[p.i]; e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, ok := p.hex4(p.i + 1)
				if !ok {
					p.fail("invalid \\u escape")
					return "", false
				}
				p.i += 4
				if r >= 0xd800 && r < 0xdc00 && strings.HasPrefix(p.s[p.i+1:], `\u`) {
					if r2, ok := p.hex4(p.i + 3); ok && r2 >= 0xdc00 && r2 < 0xe000 {
						r = 0x10000 + (r-0xd800)<<10 + (r2 - 0xdc00)
						p.i += 6
					}
				}
				b.WriteRune(r)
			default:
				p.fail("invalid escape")
				return "", false
			}
			p.i++
		case c < 0x20:
			p.fail("control character in string")
			return "", false
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	p.fail("unterminated string")
	return "", false
}

func (p *jsonParser) checkNUL(s string) {
	if strings.IndexByte(s, 0) >= 0 {
		p.fail("input string cannot be represented as Nix string because it contains null bytes")
	}
}

func (p *jsonParser) hex4(i int) (rune, bool) {
	if i+4 > len(p.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(p.s[i:i+4], 16, 32)
	return rune(n), err == nil
}

func (p *jsonParser) number() Value {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	isFloat := false
	for p.i < len(p.s) {
		c := p.s[p.i]
		if isDigitByte(c) {
			p.i++
			continue
		}
		if c == '.' || c == 'e' || c == 'E' || ((c == '+' || c == '-') && (p.s[p.i-1] == 'e' || p.s[p.i-1] == 'E')) {
			isFloat = true
			p.i++
			continue
		}
		break
	}
	text := p.s[start:p.i]
	if !isFloat {
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			return Int(n)
		}
		if _, err := strconv.ParseUint(text, 10, 64); err == nil {
			p.fail("unsigned json number " + text + " outside of Nix integer range")
			return Null{}
		}
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil && !math.IsInf(f, 0) {
		p.fail("invalid number")
		return Null{}
	}
	return Float(f)
}
