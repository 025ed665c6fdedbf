package eval

// This file defines builtins.fromTOML: a parser of TOML 1.0 documents
// into Nix values (tables become sets, arrays lists). Dates and times
// are rejected, as Nix rejects them by default.

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/frazil/frazil/eval/syntax"
)

func primFromTOML(ev *Evaluator, pos syntax.Pos, args []Value) Value {
	s := ev.forceString(args[0], pos)
	p := &tomlParser{src: s.s, line: 1}
	root, err := p.document()
	if err != "" {
		ev.errorf(ErrEval, pos, "while parsing TOML: %s", err)
	}
	return root.value()
}

// tomlTable is a table being built. Tables defined by a header or a
// key/value line are closed for redefinition; implicit ones are not.
type tomlTable struct {
	keys     []string
	vals     map[string]any // *tomlTable, *tomlArray, or Value
	defined  bool           // [header] seen, or created by a key = value
	inline   bool           // inline tables are closed
	fromDots bool           // created by a dotted key
}

type tomlArray struct {
	elems  []any
	tables bool // an array of tables ([[x]])
}

func newTomlTable() *tomlTable { return &tomlTable{vals: map[string]any{}} }

func (t *tomlTable) set(k string, v any) {
	if _, ok := t.vals[k]; !ok {
		t.keys = append(t.keys, k)
	}
	t.vals[k] = v
}

func (t *tomlTable) value() Value {
	attrs := make([]Attr, 0, len(t.keys))
	for _, k := range t.keys {
		attrs = append(attrs, Attr{Name: Intern(k), Value: tomlValue(t.vals[k])})
	}
	return NewAttrs(attrs)
}

func tomlValue(v any) Value {
	switch x := v.(type) {
	case *tomlTable:
		return x.value()
	case *tomlArray:
		out := make([]Value, len(x.elems))
		for i, e := range x.elems {
			out[i] = tomlValue(e)
		}
		return NewList(out)
	}
	return v.(Value)
}

type tomlParser struct {
	src  string
	i    int
	line int
	err  string
}

func (p *tomlParser) fail(format string, args ...any) {
	if p.err == "" {
		p.err = sprintf(format, args...) + sprintf(" (line %d)", p.line)
	}
}

func (p *tomlParser) eof() bool { return p.i >= len(p.src) }
func (p *tomlParser) peek() byte {
	if p.i < len(p.src) {
		return p.src[p.i]
	}
	return 0
}

// ws skips spaces and tabs.
func (p *tomlParser) ws() {
	for !p.eof() && (p.peek() == ' ' || p.peek() == '\t') {
		p.i++
	}
}

// endOfLine skips a comment and requires a newline or the end.
func (p *tomlParser) endOfLine() {
	p.ws()
	if p.peek() == '#' {
		for !p.eof() && p.peek() != '\n' {
			p.i++
		}
	}
	switch {
	case p.eof():
	case p.peek() == '\n':
		p.i++
		p.line++
	case p.peek() == '\r' && p.i+1 < len(p.src) && p.src[p.i+1] == '\n':
		p.i += 2
		p.line++
	default:
		p.fail("expected the end of the line, found %q", p.peek())
	}
}

func (p *tomlParser) document() (*tomlTable, string) {
	root := newTomlTable()
	cur := root
	for !p.eof() && p.err == "" {
		p.ws()
		switch c := p.peek(); {
		case c == '#' || c == '\n' || c == '\r':
			p.endOfLine()
		case c == '[':
			cur = p.header(root)
			p.endOfLine()
		default:
			p.keyValue(cur)
			p.endOfLine()
		}
	}
	return root, p.err
}

// header parses [a.b] or [[a.b]] and returns the table it opens.
func (p *tomlParser) header(root *tomlTable) *tomlTable {
	p.i++
	array := p.peek() == '['
	if array {
		p.i++
	}
	keys := p.key()
	p.ws()
	if !strings.HasPrefix(p.src[p.i:], map[bool]string{true: "]]", false: "]"}[array]) {
		p.fail("unterminated table header")
		return root
	}
	p.i += map[bool]int{true: 2, false: 1}[array]
	t := root
	for _, k := range keys[:len(keys)-1] {
		t = p.descend(t, k)
		if t == nil {
			return root
		}
	}
	last := keys[len(keys)-1]
	existing, ok := t.vals[last]
	if array {
		arr, isArr := existing.(*tomlArray)
		if ok && (!isArr || !arr.tables) {
			p.fail("key '%s' is already defined", last)
			return root
		}
		if !ok {
			arr = &tomlArray{tables: true}
			t.set(last, arr)
		}
		nt := newTomlTable()
		nt.defined = true
		arr.elems = append(arr.elems, nt)
		return nt
	}
	if ok {
		sub, isTable := existing.(*tomlTable)
		if !isTable || sub.defined || sub.inline || sub.fromDots {
			p.fail("table '%s' is already defined", strings.Join(keys, "."))
			return root
		}
		sub.defined = true
		return sub
	}
	nt := newTomlTable()
	nt.defined = true
	t.set(last, nt)
	return nt
}

// descend returns the subtable k of t, creating it implicitly; for an
// array of tables it is the last element.
func (p *tomlParser) descend(t *tomlTable, k string) *tomlTable {
	switch v := t.vals[k].(type) {
	case nil:
		nt := newTomlTable()
		t.set(k, nt)
		return nt
	case *tomlTable:
		if v.inline {
			p.fail("inline table '%s' cannot be extended", k)
			return nil
		}
		return v
	case *tomlArray:
		if v.tables && len(v.elems) > 0 {
			return v.elems[len(v.elems)-1].(*tomlTable)
		}
	}
	p.fail("key '%s' is not a table", k)
	return nil
}

// keyValue parses key = value into t.
func (p *tomlParser) keyValue(t *tomlTable) {
	keys := p.key()
	if p.err != "" {
		return
	}
	p.ws()
	if p.peek() != '=' {
		p.fail("expected '=' after a key")
		return
	}
	p.i++
	p.ws()
	v := p.value(0)
	for _, k := range keys[:len(keys)-1] {
		existing, ok := t.vals[k]
		if ok {
			sub, isTable := existing.(*tomlTable)
			if !isTable || sub.inline || (sub.defined && !sub.fromDots) {
				p.fail("key '%s' is already defined", k)
				return
			}
			t = sub
			continue
		}
		nt := newTomlTable()
		nt.fromDots = true
		t.set(k, nt)
		t = nt
	}
	last := keys[len(keys)-1]
	if _, ok := t.vals[last]; ok {
		p.fail("key '%s' is already defined", last)
		return
	}
	t.set(last, v)
}

// key parses a possibly dotted key.
func (p *tomlParser) key() []string {
	var keys []string
	for {
		p.ws()
		var k string
		switch c := p.peek(); {
		case c == '"':
			k = p.basicString()
		case c == '\'':
			k = p.literalString()
		default:
			start := p.i
			for !p.eof() {
				c := p.peek()
				if c == '_' || c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
					p.i++
					continue
				}
				break
			}
			if p.i == start {
				p.fail("expected a key")
				return []string{""}
			}
			k = p.src[start:p.i]
		}
		if strings.IndexByte(k, 0) >= 0 {
			p.fail("input string '%s' cannot be represented as Nix string because it contains null bytes", strings.ReplaceAll(k, "\x00", "␀"))
		}
		keys = append(keys, k)
		p.ws()
		if p.peek() != '.' {
			return keys
		}
		p.i++
	}
}

func (p *tomlParser) value(depth int) any {
	if depth > 1000 {
		p.fail("nesting too deep")
		return Null{}
	}
	switch c := p.peek(); {
	case strings.HasPrefix(p.src[p.i:], `"""`):
		return p.checkString(p.multiBasicString())
	case strings.HasPrefix(p.src[p.i:], `'''`):
		return p.checkString(p.multiLiteralString())
	case c == '"':
		return p.checkString(p.basicString())
	case c == '\'':
		return p.checkString(p.literalString())
	case c == '[':
		return p.array(depth)
	case c == '{':
		return p.inlineTable(depth)
	case strings.HasPrefix(p.src[p.i:], "true"):
		p.i += 4
		return True
	case strings.HasPrefix(p.src[p.i:], "false"):
		p.i += 5
		return False
	}
	return p.number()
}

func (p *tomlParser) checkString(s string) Value {
	if strings.IndexByte(s, 0) >= 0 {
		p.fail("input string '%s' cannot be represented as Nix string because it contains null bytes", strings.ReplaceAll(s, "\x00", "␀"))
	}
	return NewString(s)
}

func (p *tomlParser) array(depth int) any {
	p.i++
	arr := &tomlArray{}
	for p.err == "" {
		p.skipArraySpace()
		if p.peek() == ']' {
			p.i++
			return arr
		}
		arr.elems = append(arr.elems, p.value(depth+1))
		p.skipArraySpace()
		switch p.peek() {
		case ',':
			p.i++
		case ']':
			p.i++
			return arr
		default:
			p.fail("expected ',' or ']' in an array")
		}
	}
	return arr
}

// skipArraySpace skips whitespace, newlines and comments inside arrays.
func (p *tomlParser) skipArraySpace() {
	for !p.eof() {
		switch p.peek() {
		case ' ', '\t', '\r':
			p.i++
		case '\n':
			p.i++
			p.line++
		case '#':
			for !p.eof() && p.peek() != '\n' {
				p.i++
			}
		default:
			return
		}
	}
}

func (p *tomlParser) inlineTable(depth int) any {
	p.i++
	t := newTomlTable()
	p.ws()
	if p.peek() == '}' {
		p.i++
		t.inline = true
		return t
	}
	for p.err == "" {
		p.keyValue(t)
		p.ws()
		switch p.peek() {
		case ',':
			p.i++
		case '}':
			p.i++
			t.inline = true
			return t
		default:
			p.fail("expected ',' or '}' in an inline table")
		}
	}
	return t
}

func (p *tomlParser) basicString() string {
	p.i++
	var b strings.Builder
	for !p.eof() {
		c := p.peek()
		switch {
		case c == '"':
			p.i++
			return b.String()
		case c == '\\':
			p.escape(&b)
		case c == '\n':
			p.fail("newline in a string")
			return ""
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	p.fail("unterminated string")
	return ""
}

func (p *tomlParser) escape(b *strings.Builder) {
	p.i++
	c := p.peek()
	p.i++
	switch c {
	case 'b':
		b.WriteByte('\b')
	case 't':
		b.WriteByte('\t')
	case 'n':
		b.WriteByte('\n')
	case 'f':
		b.WriteByte('\f')
	case 'r':
		b.WriteByte('\r')
	case '"', '\\':
		b.WriteByte(c)
	case 'u', 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		if p.i+n > len(p.src) {
			p.fail("invalid unicode escape")
			return
		}
		r, err := strconv.ParseUint(p.src[p.i:p.i+n], 16, 32)
		if err != nil || !utf8.ValidRune(rune(r)) {
			p.fail("invalid unicode escape")
			return
		}
		p.i += n
		b.WriteRune(rune(r))
	default:
		p.fail("invalid escape sequence '\\%c'", c)
	}
}

func (p *tomlParser) literalString() string {
	p.i++
	start := p.i
	for !p.eof() && p.peek() != '\'' && p.peek() != '\n' {
		p.i++
	}
	if p.peek() != '\'' {
		p.fail("unterminated string")
		return ""
	}
	s := p.src[start:p.i]
	p.i++
	return s
}

// skipFirstNewline drops a newline right after an opening delimiter.
func (p *tomlParser) skipFirstNewline() {
	if strings.HasPrefix(p.src[p.i:], "\r\n") {
		p.i += 2
		p.line++
	} else if p.peek() == '\n' {
		p.i++
		p.line++
	}
}

func (p *tomlParser) multiBasicString() string {
	p.i += 3
	p.skipFirstNewline()
	var b strings.Builder
	for !p.eof() {
		switch {
		case strings.HasPrefix(p.src[p.i:], `"""`):
			p.i += 3
			// Up to two more quotes belong to the string.
			for k := 0; k < 2 && p.peek() == '"'; k++ {
				b.WriteByte('"')
				p.i++
			}
			return b.String()
		case p.peek() == '\\':
			// A backslash at the end of a line trims the following
			// whitespace.
			j := p.i + 1
			for j < len(p.src) && (p.src[j] == ' ' || p.src[j] == '\t') {
				j++
			}
			if j < len(p.src) && (p.src[j] == '\n' || p.src[j] == '\r') {
				for j < len(p.src) && strings.IndexByte(" \t\r\n", p.src[j]) >= 0 {
					if p.src[j] == '\n' {
						p.line++
					}
					j++
				}
				p.i = j
				continue
			}
			p.escape(&b)
		default:
			if p.peek() == '\n' {
				p.line++
			}
			b.WriteByte(p.peek())
			p.i++
		}
	}
	p.fail("unterminated string")
	return ""
}

func (p *tomlParser) multiLiteralString() string {
	p.i += 3
	p.skipFirstNewline()
	start := p.i
	for !p.eof() {
		if strings.HasPrefix(p.src[p.i:], "'''") {
			end := p.i
			p.i += 3
			for k := 0; k < 2 && p.peek() == '\''; k++ {
				p.i++
				end++
			}
			return p.src[start:end]
		}
		if p.peek() == '\n' {
			p.line++
		}
		p.i++
	}
	p.fail("unterminated string")
	return ""
}

// number parses an integer or float; dates and times are rejected.
func (p *tomlParser) number() any {
	start := p.i
	for !p.eof() {
		c := p.peek()
		if c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '#' {
			break
		}
		p.i++
	}
	text := p.src[start:p.i]
	if text == "" {
		p.fail("expected a value")
		return Null{}
	}
	// A date is digits then '-' (1979-05-27); a time has ':'.
	if len(text) >= 5 && isDigitByte(text[0]) && (text[4] == '-' || text[2] == ':') {
		p.fail("Dates and times are not supported")
		return Null{}
	}
	switch strings.TrimLeft(text, "+-") {
	case "inf":
		if text[0] == '-' {
			return Float(math.Inf(-1))
		}
		return Float(math.Inf(1))
	case "nan":
		return Float(math.NaN())
	}
	clean := strings.ReplaceAll(text, "_", "")
	if strings.Contains(text, "__") || strings.HasPrefix(text, "_") || strings.HasSuffix(text, "_") {
		p.fail("invalid number '%s'", text)
		return Null{}
	}
	for _, pre := range []struct {
		prefix string
		base   int
	}{{"0x", 16}, {"0o", 8}, {"0b", 2}} {
		if rest, ok := strings.CutPrefix(clean, pre.prefix); ok {
			n, err := strconv.ParseInt(rest, pre.base, 64)
			if err != nil {
				p.fail("invalid integer '%s'", text)
			}
			return Int(n)
		}
	}
	if !strings.ContainsAny(clean, ".eE") {
		digits := strings.TrimLeft(clean, "+-")
		if len(digits) > 1 && digits[0] == '0' {
			p.fail("leading zeros are not allowed in '%s'", text)
			return Null{}
		}
		n, err := strconv.ParseInt(clean, 10, 64)
		if err != nil {
			p.fail("[error] toml::parse_dec_integer: too large integer: current max digits = 2^63")
			return Null{}
		}
		return Int(n)
	}
	f, err := strconv.ParseFloat(clean, 64)
	if err != nil {
		p.fail("invalid float '%s'", text)
		return Null{}
	}
	return Float(f)
}
