package derivation

// This file defines the ATerm printer. It follows Nix 2.8's
// Derivation::unparse byte for byte: output names, paths, hash fields,
// input paths and the platform are printed raw ("unquoted" in Nix's words,
// though still between double quotes); the builder, args and env are
// escaped.

import (
	"sort"
)

// ATerm returns d in the .drv file format.
func (d *Derivation) ATerm() []byte {
	return d.print(false, nil)
}

// print writes the ATerm of d. With mask, output paths and the env entries
// named after outputs are blank (the form hashed for input-addressed output
// paths). A non-nil inputs replaces d.InputDrvs (by the hash-modulo map).
func (d *Derivation) print(mask bool, inputs map[string][]string) []byte {
	if inputs == nil {
		inputs = d.InputDrvs
	}
	b := make([]byte, 0, d.sizeHint())
	b = append(b, "Derive(["...)
	for i, name := range d.OutputNames() {
		o := d.Outputs[name]
		if i > 0 {
			b = append(b, ',')
		}
		path := o.Path
		if mask {
			path = ""
		}
		b = append(b, '(')
		b = appendRaw(b, name)
		b = append(b, ',')
		b = appendRaw(b, path)
		b = append(b, ',')
		b = appendRaw(b, o.HashAlgo)
		b = append(b, ',')
		b = appendRaw(b, o.Hash)
		b = append(b, ')')
	}
	b = append(b, "],["...)
	for i, p := range sortedKeys(inputs) {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '(')
		b = appendRaw(b, p)
		b = append(b, ',')
		b = appendList(b, sortedUnique(inputs[p]), appendRaw)
		b = append(b, ')')
	}
	b = append(b, "],"...)
	b = appendList(b, sortedUnique(d.InputSrcs), appendRaw)
	b = append(b, ',')
	b = appendRaw(b, d.Platform)
	b = append(b, ',')
	b = appendEscaped(b, d.Builder)
	b = append(b, ',')
	b = appendList(b, d.Args, appendEscaped)
	b = append(b, ",["...)
	for i, k := range sortedKeys(d.Env) {
		if i > 0 {
			b = append(b, ',')
		}
		v := d.Env[k]
		if _, isOut := d.Outputs[k]; mask && isOut {
			v = ""
		}
		b = append(b, '(')
		b = appendEscaped(b, k)
		b = append(b, ',')
		b = appendEscaped(b, v)
		b = append(b, ')')
	}
	b = append(b, "])"...)
	return b
}

// sizeHint estimates the printed size to allocate once.
func (d *Derivation) sizeHint() int {
	n := 64 + len(d.Builder) + len(d.Platform)
	for k, o := range d.Outputs {
		n += len(k) + len(o.Path) + len(o.HashAlgo) + len(o.Hash) + 12
	}
	for k, v := range d.InputDrvs {
		n += len(k) + 8
		for _, o := range v {
			n += len(o) + 3
		}
	}
	for _, s := range d.InputSrcs {
		n += len(s) + 3
	}
	for _, s := range d.Args {
		n += len(s) + 3
	}
	for k, v := range d.Env {
		n += len(k) + len(v) + 8
	}
	return n + n/16
}

// appendRaw appends s between double quotes, unescaped.
func appendRaw(b []byte, s string) []byte {
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendEscaped appends s between double quotes, escaping ", \, LF, CR
// and TAB with a backslash. Every other byte is copied as is.
func appendEscaped(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		var esc byte
		switch s[i] {
		case '"', '\\':
			esc = s[i]
		case '\n':
			esc = 'n'
		case '\r':
			esc = 'r'
		case '\t':
			esc = 't'
		default:
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, '\\', esc)
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendList appends ["a","b",…] with each element printed by elem.
func appendList(b []byte, l []string, elem func([]byte, string) []byte) []byte {
	b = append(b, '[')
	for i, s := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(b, s)
	}
	return append(b, ']')
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// sortedUnique returns l sorted without duplicates (Nix keeps these lists
// as sets). l itself is not modified.
func sortedUnique(l []string) []string {
	if sort.StringsAreSorted(l) && !hasAdjacentDup(l) {
		return l
	}
	c := append([]string(nil), l...)
	sort.Strings(c)
	out := c[:0]
	for i, s := range c {
		if i == 0 || s != c[i-1] {
			out = append(out, s)
		}
	}
	return out
}

func hasAdjacentDup(l []string) bool {
	for i := 1; i < len(l); i++ {
		if l[i] == l[i-1] {
			return true
		}
	}
	return false
}
