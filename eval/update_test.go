package eval

import (
	"math/rand"
	"sort"
	"testing"
)

// TestUpdate checks // against a map-based merge, for sizes that take the
// element-by-element merge and the binary-search path for few updates.
func TestUpdate(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	set := func(n, space int, tag int) *Attrs {
		seen := map[Symbol]bool{}
		var attrs []Attr
		for len(attrs) < n {
			s := Symbol(rng.Intn(space))
			if !seen[s] {
				seen[s] = true
				attrs = append(attrs, Attr{Name: s, Value: Int(tag)})
			}
		}
		sort.Slice(attrs, func(i, j int) bool { return attrs[i].Name < attrs[j].Name })
		return &Attrs{attrs: attrs}
	}
	for _, tt := range []struct{ na, nb int }{{0, 3}, {3, 0}, {5, 5}, {100, 1}, {100, 3}, {1000, 20}, {40, 39}, {1, 100}} {
		space := 2*(tt.na+tt.nb) + 1
		a, b := set(tt.na, space, 1), set(tt.nb, space, 2)
		want := map[Symbol]Value{}
		for _, at := range a.attrs {
			want[at.Name] = at.Value
		}
		for _, at := range b.attrs {
			want[at.Name] = at.Value
		}
		got := update(a, b).attrs
		if len(got) != len(want) {
			t.Errorf("%d // %d: %d attributes, want %d", tt.na, tt.nb, len(got), len(want))
			continue
		}
		for i, at := range got {
			if i > 0 && got[i-1].Name >= at.Name {
				t.Errorf("%d // %d: not sorted at %d", tt.na, tt.nb, i)
			}
			if want[at.Name] != at.Value {
				t.Errorf("%d // %d: %d = %v, want %v", tt.na, tt.nb, at.Name, at.Value, want[at.Name])
			}
		}
	}
}
