package syntax

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestParseConformance parses the parse-okay and parse-fail cases of the
// Nix language test suite: every parse-okay case must parse and print as
// its .exp file; every parse-fail case must fail, except those whose
// error (an undefined variable) comes from scope resolution in package
// eval.
func TestParseConformance(t *testing.T) {
	dir := "../../third_party/nix-lang/lang"
	okay, _ := filepath.Glob(filepath.Join(dir, "parse-okay-*.nix"))
	fail, _ := filepath.Glob(filepath.Join(dir, "parse-fail-*.nix"))
	if len(okay) == 0 || len(fail) == 0 {
		t.Fatalf("no conformance cases in %s", dir)
	}
	opts := Options{BasePath: "/pwd", Home: "/home"}
	for _, f := range okay {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		n, _, err := Parse(NewFileSet(), "«stdin»", src, opts)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
			continue
		}
		want, err := os.ReadFile(strings.TrimSuffix(f, ".nix") + ".exp")
		if err != nil {
			t.Fatal(err)
		}
		if got := Format(n); got != strings.TrimSpace(string(want)) {
			t.Errorf("%s: got\n%s\nwant\n%s", filepath.Base(f), got, want)
		}
	}
	resolveErrors := map[string]bool{"parse-fail-undef-var.nix": true, "parse-fail-regression-20060610.nix": true}
	for _, f := range fail {
		if resolveErrors[filepath.Base(f)] {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := Parse(NewFileSet(), "«stdin»", src, opts); err == nil {
			t.Errorf("%s: parsed, want an error", filepath.Base(f))
		} else {
			t.Logf("%s: %v", filepath.Base(f), err)
		}
	}
}
