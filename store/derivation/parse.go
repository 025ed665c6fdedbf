package derivation

// This file defines the strict ATerm parser. It accepts exactly the texts
// that ATerm prints: sorted, duplicate-free outputs, inputs and env; only
// the five escapes the printer writes; no raw LF, CR or TAB inside escaped
// strings; no backslash inside the fields Nix prints unescaped. Anything
// it accepts therefore prints back to identical bytes.

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/frazil/frazil/store/storepath"
)

// ParseError reports malformed ATerm text and where it is.
type ParseError struct {
	Offset int // byte offset into the text
	Msg    string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("parse derivation: at offset %d: %s", e.Offset, e.Msg)
}

// Parse reads a derivation in ATerm form. Name is taken from the env
// ("name", or the "name" of structured attributes); callers that know the
// .drv path should prefer the name in the path.
func Parse(aterm []byte) (*Derivation, error) {
	p := &parser{b: aterm}
	d, err := p.derivation()
	if err != nil {
		return nil, err
	}
	d.Name = nameFromEnv(d.Env)
	return d, nil
}

type parser struct {
	b   []byte
	pos int
}

func (p *parser) errorf(at int, format string, args ...any) error {
	return &ParseError{Offset: at, Msg: fmt.Sprintf(format, args...)}
}

func (p *parser) derivation() (*Derivation, error) {
	if bytes.HasPrefix(p.b, []byte("DrvWithVersion(")) {
		return nil, p.errorf(0, "versioned derivations (DrvWithVersion) are not supported")
	}
	d := &Derivation{
		Outputs:   map[string]Output{},
		InputDrvs: map[string][]string{},
		Env:       map[string]string{},
	}
	steps := []func(*Derivation) error{
		func(*Derivation) error { return p.expect("Derive(") },
		p.outputs,
		func(*Derivation) error { return p.expect(",") },
		p.inputDrvs,
		func(*Derivation) error { return p.expect(",") },
		p.inputSrcs,
		func(d *Derivation) (err error) {
			if err = p.expect(","); err == nil {
				d.Platform, err = p.raw("platform")
			}
			return err
		},
		func(d *Derivation) (err error) {
			if err = p.expect(","); err == nil {
				d.Builder, err = p.escaped()
			}
			return err
		},
		func(d *Derivation) (err error) {
			if err = p.expect(","); err == nil {
				d.Args, err = p.stringList(false, "", nil)
			}
			return err
		},
		func(*Derivation) error { return p.expect(",") },
		p.env,
		func(*Derivation) error { return p.expect(")") },
	}
	for _, step := range steps {
		if err := step(d); err != nil {
			return nil, err
		}
	}
	if p.pos != len(p.b) {
		return nil, p.errorf(p.pos, "trailing data after the derivation")
	}
	return d, nil
}

// expect consumes the literal s.
func (p *parser) expect(s string) error {
	if !bytes.HasPrefix(p.b[p.pos:], []byte(s)) {
		return p.errorf(p.pos, "expected %q, found %s", s, p.found())
	}
	p.pos += len(s)
	return nil
}

// found describes the text at the current position for error messages.
func (p *parser) found() string {
	if p.pos >= len(p.b) {
		return "end of input"
	}
	rest := p.b[p.pos:]
	if len(rest) > 16 {
		return fmt.Sprintf("%q…", rest[:16])
	}
	return fmt.Sprintf("%q", rest)
}

// list parses "[" elem ("," elem)* "]" calling elem for each element.
func (p *parser) list(elem func() error) error {
	if err := p.expect("["); err != nil {
		return err
	}
	if p.pos < len(p.b) && p.b[p.pos] == ']' {
		p.pos++
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		if p.pos < len(p.b) && p.b[p.pos] == ',' {
			p.pos++
			continue
		}
		return p.expect("]")
	}
}

// raw parses a string that Nix prints unescaped: no backslash may occur.
func (p *parser) raw(what string) (string, error) {
	if err := p.expect(`"`); err != nil {
		return "", err
	}
	end := bytes.IndexByte(p.b[p.pos:], '"')
	if end < 0 {
		return "", p.errorf(p.pos-1, "unterminated string")
	}
	s := p.b[p.pos : p.pos+end]
	if i := bytes.IndexByte(s, '\\'); i >= 0 {
		return "", p.errorf(p.pos+i, "backslash in %s, which is written unescaped", what)
	}
	p.pos += end + 1
	return string(s), nil
}

// escaped parses a string with the escapes \" \\ \n \r \t.
func (p *parser) escaped() (string, error) {
	if err := p.expect(`"`); err != nil {
		return "", err
	}
	start := p.pos
	var sb strings.Builder
	plain := start // start of the run not yet copied into sb
	for i := start; i < len(p.b); i++ {
		switch c := p.b[i]; c {
		case '"':
			p.pos = i + 1
			if plain == start {
				return string(p.b[start:i]), nil
			}
			sb.Write(p.b[plain:i])
			return sb.String(), nil
		case '\n', '\r', '\t':
			return "", p.errorf(i, "raw %q in a string, which must be escaped", c)
		case '\\':
			if i+1 >= len(p.b) {
				return "", p.errorf(start-1, "unterminated string")
			}
			r, ok := unescape[p.b[i+1]]
			if !ok {
				return "", p.errorf(i, "unknown escape %q", p.b[i:i+2])
			}
			sb.Write(p.b[plain:i])
			sb.WriteByte(r)
			i++
			plain = i + 1
		}
	}
	return "", p.errorf(start-1, "unterminated string")
}

var unescape = map[byte]byte{'"': '"', '\\': '\\', 'n': '\n', 'r': '\r', 't': '\t'}

// stringList parses a list of strings. Raw lists (of the field named what)
// must be strictly increasing; check, if not nil, validates each element.
func (p *parser) stringList(raw bool, what string, check func(string) error) ([]string, error) {
	var l []string
	err := p.list(func() error {
		at := p.pos
		var s string
		var err error
		if raw {
			s, err = p.raw(what)
		} else {
			s, err = p.escaped()
		}
		if err != nil {
			return err
		}
		if raw && len(l) > 0 && s <= l[len(l)-1] {
			return p.errorf(at, "%s '%s' is not sorted or is a duplicate", what, s)
		}
		if check != nil {
			if err := check(s); err != nil {
				return p.errorf(at, "%s: %v", what, err)
			}
		}
		l = append(l, s)
		return nil
	})
	return l, err
}

func (p *parser) outputs(d *Derivation) error {
	last := ""
	return p.list(func() error {
		at := p.pos
		if err := p.expect("("); err != nil {
			return err
		}
		var f [4]string
		for i, what := range []string{"output name", "output path", "output hash algorithm", "output hash"} {
			if i > 0 {
				if err := p.expect(","); err != nil {
					return err
				}
			}
			var err error
			if f[i], err = p.raw(what); err != nil {
				return err
			}
		}
		if err := p.expect(")"); err != nil {
			return err
		}
		name, o := f[0], Output{Path: f[1], HashAlgo: f[2], Hash: f[3]}
		if err := checkOutput(name, o, last, len(d.Outputs) == 0); err != nil {
			return p.errorf(at, "%v", err)
		}
		last = name
		d.Outputs[name] = o
		return nil
	})
}

// checkOutput validates an output tuple that follows the output named last.
func checkOutput(name string, o Output, last string, first bool) error {
	if name == "" {
		return fmt.Errorf("empty output name")
	}
	if !first && name <= last {
		return fmt.Errorf("output '%s' is not sorted or is a duplicate", name)
	}
	if o.Path != "" {
		if _, err := storepath.Parse(o.Path); err != nil {
			return fmt.Errorf("output '%s': %w", name, err)
		}
	}
	if _, _, err := o.Fixed(); err != nil {
		return fmt.Errorf("output '%s': %w", name, err)
	}
	return nil
}

func (p *parser) inputDrvs(d *Derivation) error {
	last := ""
	return p.list(func() error {
		if err := p.expect("("); err != nil {
			return err
		}
		at := p.pos
		path, err := p.raw("input derivation path")
		if err != nil {
			return err
		}
		if err := checkPath(path, last, len(d.InputDrvs) == 0); err != nil {
			return p.errorf(at, "input derivation: %v", err)
		}
		if !strings.HasSuffix(path, ".drv") {
			return p.errorf(at, "input derivation '%s' does not end in .drv", path)
		}
		if err := p.expect(","); err != nil {
			return err
		}
		outs, err := p.stringList(true, "input output name", nil)
		if err != nil {
			return err
		}
		last = path
		d.InputDrvs[path] = outs
		return p.expect(")")
	})
}

func (p *parser) inputSrcs(d *Derivation) error {
	srcs, err := p.stringList(true, "input source", func(s string) error {
		_, err := storepath.Parse(s)
		return err
	})
	d.InputSrcs = srcs
	return err
}

// checkPath validates a store path that must sort after last.
func checkPath(path, last string, first bool) error {
	if _, err := storepath.Parse(path); err != nil {
		return err
	}
	if !first && path <= last {
		return fmt.Errorf("'%s' is not sorted or is a duplicate", path)
	}
	return nil
}

func (p *parser) env(d *Derivation) error {
	last := ""
	return p.list(func() error {
		at := p.pos
		if err := p.expect("("); err != nil {
			return err
		}
		k, err := p.escaped()
		if err != nil {
			return err
		}
		if err := p.expect(","); err != nil {
			return err
		}
		v, err := p.escaped()
		if err != nil {
			return err
		}
		if len(d.Env) > 0 && k <= last {
			return p.errorf(at, "environment variable '%s' is not sorted or is a duplicate", k)
		}
		last = k
		d.Env[k] = v
		return p.expect(")")
	})
}
