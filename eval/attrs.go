package eval

// This file defines attribute sets: slices of attributes sorted by
// symbol (the order in which names were first interned, as Nix sorts its
// Bindings), looked up by linear scan when small and binary search when
// large, and merged linearly by //. Whatever shows names in order (
// attrNames, printing, JSON) asks for Lexical, which sorts by name.

import (
	"sort"
	"unsafe"

	"github.com/frazil/frazil/eval/syntax"
)

// Attr is one attribute of a set: its name, the position where it was
// defined (for unsafeGetAttrPos) and its value, which may be a thunk.
type Attr struct {
	Name  Symbol
	Pos   syntax.Pos
	Value Value
}

// Attrs is a Nix attribute set. Its attributes are sorted by symbol.
type Attrs struct {
	attrs []Attr
	lex   *[]Attr // the attributes sorted by name, once asked for
}

// NewAttrs returns a set of the given attributes, which it sorts and
// keeps; for duplicate names the first one wins.
func NewAttrs(attrs []Attr) *Attrs {
	if len(attrs) == 0 {
		return emptyAttrs
	}
	sortAttrs(attrs)
	out := attrs[:1]
	for _, a := range attrs[1:] {
		if a.Name != out[len(out)-1].Name {
			out = append(out, a)
		}
	}
	return &Attrs{attrs: out}
}

// sortAttrs sorts attributes by symbol, keeping the order of equal names.
func sortAttrs(attrs []Attr) {
	if sort.SliceIsSorted(attrs, func(i, j int) bool { return attrs[i].Name < attrs[j].Name }) {
		return
	}
	sort.SliceStable(attrs, func(i, j int) bool { return attrs[i].Name < attrs[j].Name })
}

// Lexical returns the attributes sorted by name. Callers must not
// modify it.
func (a *Attrs) Lexical() []Attr {
	if len(a.attrs) < 2 {
		return a.attrs
	}
	if a.lex != nil {
		return *a.lex
	}
	lex := append([]Attr(nil), a.attrs...)
	sort.Slice(lex, func(i, j int) bool { return lex[i].Name.String() < lex[j].Name.String() })
	a.lex = &lex
	return lex
}

// attrsArr is an attribute set allocated together with its attributes.
type attrsArr[A any] struct {
	Attrs
	arr A
}

func allocAttrs[A any](n int) *Attrs {
	x := &attrsArr[A]{}
	x.attrs = unsafe.Slice((*Attr)(unsafe.Pointer(&x.arr)), n)
	return &x.Attrs
}

// newAttrsOfLen returns a set of n zero attributes to be filled in
// order (by symbol); small sets are one allocation.
func newAttrsOfLen(n int) *Attrs {
	switch {
	case n == 1:
		return allocAttrs[[1]Attr](n)
	case n == 2:
		return allocAttrs[[2]Attr](n)
	case n == 3:
		return allocAttrs[[3]Attr](n)
	case n == 4:
		return allocAttrs[[4]Attr](n)
	case n <= 6:
		return allocAttrs[[6]Attr](n)
	case n <= 8:
		return allocAttrs[[8]Attr](n)
	}
	return &Attrs{attrs: make([]Attr, n)}
}

// Len returns the number of attributes.
func (a *Attrs) Len() int { return len(a.attrs) }

// All returns the attributes in symbol order. Callers must not modify it.
func (a *Attrs) All() []Attr { return a.attrs }

// index returns the index of name in a, or -1.
func (a *Attrs) index(name Symbol) int {
	as := a.attrs
	if len(as) <= 8 {
		for i := range as {
			if as[i].Name == name {
				return i
			}
		}
		return -1
	}
	lo, hi := 0, len(as)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if as[m].Name < name {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(as) && as[lo].Name == name {
		return lo
	}
	return -1
}

// Get returns the value of the attribute name (possibly a thunk).
func (a *Attrs) Get(name Symbol) (Value, bool) {
	if i := a.index(name); i >= 0 {
		return a.attrs[i].Value, true
	}
	return nil, false
}

// Lookup returns the attribute name.
func (a *Attrs) Lookup(name Symbol) (*Attr, bool) {
	if i := a.index(name); i >= 0 {
		return &a.attrs[i], true
	}
	return nil, false
}

// update returns a // b: b's attributes win.
func update(a, b *Attrs) *Attrs {
	switch {
	case len(b.attrs) == 0:
		return a
	case len(a.attrs) == 0:
		return b
	}
	out := make([]Attr, 0, len(a.attrs)+len(b.attrs))
	i, j := 0, 0
	x, y := a.attrs, b.attrs
	if len(y)*8 < len(x) {
		// A few updates of a large set (acc // { k = v; } in a fold):
		// find each in x by binary search and copy the runs between them
		// in bulk instead of comparing every name.
		for _, at := range y {
			k := i + sort.Search(len(x)-i, func(k int) bool { return x[i+k].Name >= at.Name })
			out = append(out, x[i:k]...)
			i = k
			if i < len(x) && x[i].Name == at.Name {
				i++
			}
			out = append(out, at)
		}
		out = append(out, x[i:]...)
		return &Attrs{attrs: out}
	}
	for i < len(x) && j < len(y) {
		if x[i].Name == y[j].Name {
			out = append(out, y[j])
			i++
			j++
			continue
		}
		if x[i].Name < y[j].Name {
			out = append(out, x[i])
			i++
		} else {
			out = append(out, y[j])
			j++
		}
	}
	out = append(out, x[i:]...)
	out = append(out, y[j:]...)
	return &Attrs{attrs: out}
}

// names returns the attribute names of a set in symbol order.
func (a *Attrs) names() []Symbol {
	out := make([]Symbol, len(a.attrs))
	for i, at := range a.attrs {
		out[i] = at.Name
	}
	return out
}
