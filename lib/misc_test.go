package lib

import (
	"encoding/json"
	"testing"
)

// TestMisc runs lib/tests/misc.nix, the runTests suite of the library
// functions: it evaluates to the list of failing tests.
func TestMisc(t *testing.T) {
	res := evalNix(t, testDir(t), "--eval", "--strict", "--json", "misc.nix")
	if res.err != nil {
		t.Fatalf("evaluate misc.nix: %v\n%s", res.err, res.stderr)
	}
	var failures []struct {
		Name     string          `json:"name"`
		Expected json.RawMessage `json:"expected"`
		Result   json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &failures); err != nil {
		t.Fatalf("misc.nix printed %q, want a JSON list: %v", res.stdout, err)
	}
	for _, f := range failures {
		t.Errorf("%s: got %s, want %s", f.Name, f.Result, f.Expected)
	}
}

// TestMiscCount guards against misc.nix silently running no tests: runTests
// only runs attributes named test*.
func TestMiscCount(t *testing.T) {
	res := evalNix(t, testDir(t), "--eval", "--strict", "--json", "-E",
		`let s = builtins.readFile ./misc.nix; in builtins.length (builtins.filter builtins.isList (builtins.split "\n  test[A-Za-z0-9']+ = " s))`)
	if res.err != nil {
		t.Fatalf("count tests: %v\n%s", res.err, res.stderr)
	}
	var n int
	if err := json.Unmarshal([]byte(res.stdout), &n); err != nil || n < 200 {
		t.Fatalf("misc.nix has %s tests, want at least 200", res.stdout)
	}
}
