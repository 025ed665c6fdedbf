package eval

import (
	"path/filepath"
	"testing"
)

// BenchmarkFiles evaluates each expression of testdata/bench (the same
// files scripts/bench-eval compares with nix-instantiate).
func BenchmarkFiles(b *testing.B) {
	files, _ := filepath.Glob("testdata/bench/*.nix")
	for _, f := range files {
		abs, _ := filepath.Abs(f)
		b.Run(filepath.Base(f), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				ev := New(Options{})
				v, err := ev.EvalFile(abs)
				if err == nil {
					err = ev.ForceDeep(v)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
