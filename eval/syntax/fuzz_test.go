package syntax

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse checks that no input makes the scanner or parser panic or
// hang, and that an error always carries a position within the input.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../../third_party/nix-lang/lang/*.nix")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil && len(b) < 4096 {
			f.Add(b)
		}
	}
	for _, s := range []string{"''${", "\"${\"", "./a${", "{ a.b.c = 1; a.b = {}; }", "x: y@{...}: z"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fset := NewFileSet()
		n, _, err := Parse(fset, "f.nix", src, Options{BasePath: "/b", Home: "/h"})
		if err != nil {
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if e.Pos.Line < 1 || e.Pos.Column < 1 {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		_ = Format(n)
	})
}
