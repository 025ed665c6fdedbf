package storeadapter

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/eval"
	"github.com/frazil/frazil/store/storepath"
)

// TestInstantiateIntoStore evaluates derivations and sources into a real
// store and checks that the paths are valid there, with the references
// Nix gives them, and equal to what the path-computing store predicts.
func TestInstantiateIntoStore(t *testing.T) {
	root := t.TempDir()
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "f.txt"), []byte("hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "skip.txt"), []byte("no\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	expr := `let
	  f = builtins.toFile "f" "x";
	  src = builtins.filterSource (p: t: baseNameOf p != "skip.txt") ` + src + `;
	  d = derivation { name = "d"; system = "x86_64-linux"; builder = "/bin/sh"; inherit f src; };
	in [ d.drvPath f src ]`
	run := func(s eval.Store) []string {
		ev := eval.New(eval.Options{Store: s, Stderr: &strings.Builder{}})
		p, err := ev.ParseString(expr, "«test»", "/")
		if err != nil {
			t.Fatal(err)
		}
		v, err := ev.Eval(p)
		if err == nil {
			err = ev.ForceDeep(v)
		}
		if err != nil {
			t.Fatal(err)
		}
		out, err := ev.Print(v)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Fields(strings.Trim(out, "[ ]"))
	}
	got := run(a)
	want := run(eval.NewComputeStore())
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("paths in the store %v differ from computed paths %v", got, want)
	}
	for _, q := range got {
		p := storepath.Path(strings.Trim(q, `"`))
		info, err := a.s.QueryPathInfo(p)
		if err != nil {
			t.Errorf("%s is not valid in the store: %v", p, err)
			continue
		}
		if strings.HasSuffix(string(p), ".drv") && len(info.References) != 2 {
			t.Errorf("%s has references %v, want the file and the source", p, info.References)
		}
	}
	srcPath := a.RealPath(storepath.Path(strings.Trim(got[2], `"`)))
	if _, err := os.Stat(filepath.Join(srcPath, "skip.txt")); err == nil {
		t.Errorf("filtered source %s contains skip.txt", srcPath)
	}
}
