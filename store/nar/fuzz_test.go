package nar

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzReader feeds arbitrary bytes to the Reader. It must never panic, every
// error must be an *Error, and whatever parses must serialise back to the
// very same bytes (a NAR has exactly one encoding).
func FuzzReader(f *testing.F) {
	for _, tree := range sampleTrees() {
		var b bytes.Buffer
		if err := DumpFS(&b, tree, "."); err == nil && b.Len() < 1<<16 {
			f.Add(b.Bytes())
		}
	}
	f.Add(dirNAR("a", "b"))
	f.Add(dirNAR("b", "a"))
	f.Add(new(raw).s(Magic, "(", "type", "symlink", "target", "x", ")").Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data))
		var hs []Header
		var contents [][]byte
		for {
			h, err := r.Next()
			if err == io.EOF {
				break
			}
			var ne *Error
			if err != nil {
				if !errors.As(err, &ne) {
					t.Fatalf("error %v is not a *nar.Error", err)
				}
				return
			}
			c, err := io.ReadAll(r)
			if err != nil {
				if !errors.As(err, &ne) {
					t.Fatalf("read error %v is not a *nar.Error", err)
				}
				return
			}
			hs = append(hs, *h)
			contents = append(contents, c)
		}
		if got := rewrite(t, hs, contents); !bytes.Equal(got, data) {
			t.Fatalf("parsed NAR re-serialises differently:\n got %q\nwant %q", got, data)
		}
	})
}
