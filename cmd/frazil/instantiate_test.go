package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
)

// runFrazil runs frazil instantiate in-process and returns stdout and the
// exit status.
func runFrazil(t *testing.T, dir string, stdin string, args ...string) (string, int) {
	t.Helper()
	o, err := parseInstantiateArgs(args)
	if err != nil {
		return "", 1
	}
	var out, errb bytes.Buffer
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	code := instantiate(o, strings.NewReader(stdin), &out, &errb)
	return out.String(), code
}

func runNix(t *testing.T, nix, dir, stdin string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(nix, args...)
	cmd.Dir = dir
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "NIX_STATE_DIR="+filepath.Join(t.TempDir(), "state"), "NIX_PATH=")
	out, err := cmd.Output()
	code := 0
	if err != nil {
		code = 1
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
	}
	return string(out), code
}

// TestInstantiateAgainstNix runs command lines through frazil instantiate
// and nix-instantiate and requires the same output and exit status.
func TestInstantiateAgainstNix(t *testing.T) {
	nix := testutil.RequireTool(t, "nix-instantiate", "make setup")
	dir := t.TempDir()
	files := map[string]string{
		"default.nix": `{ a ? 1, b }: { sum = a + b; list = [ a b ]; nested = { x = "y"; f = z: z; }; }`,
		"attrs.nix":   `{ x = 1; y = [ 2 3 ]; z = { w = "s"; }; fn = a: a; }`,
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		stdin string
		args  []string
	}{
		{"", []string{"--eval", "-E", "1 + 2"}},
		{"", []string{"--eval", "-E", `{ a = 1; b = x: x; c = [ 1 (2 + 3) ]; d = "s"; e = 1.5; }`}},
		{"", []string{"--eval", "--strict", "-E", `{ a = 1; b = x: x; c = [ 1 (2 + 3) ]; d = builtins.map; e = builtins.add 1; }`}},
		{"", []string{"--eval", "--strict", "--arg", "b", "2", "default.nix"}},
		{"", []string{"--eval", "--strict", "--arg", "b", "2", "--argstr", "a", "x", "-A", "list", "default.nix"}},
		{"", []string{"--eval", "--strict", "--arg", "b", "2", "-A", "nested.x"}},
		{"", []string{"--eval", "--strict", "default.nix"}},
		{"", []string{"--eval", "--strict", "-A", "sum", "default.nix"}},
		{"", []string{"--eval", "--json", "--strict", "-A", "y", "attrs.nix"}},
		// Without --strict, Nix 2.8 fails on the first thunk while printing
		// JSON; Frazil forces values as newer versions of Nix do:
		// {"", []string{"--eval", "--json", "-E", `{ a = [ 1 "x" ]; }`}},
		{"", []string{"--eval", "--json", "--strict", "-E", `{ a = [ 1 2.5 "x" null true ]; b = { }; }`}},
		{"", []string{"--eval", "--xml", "--strict", "attrs.nix"}},
		// Nix 2.8 gives -E expressions' positions a path attribute holding
		// the expression's text; Frazil, as newer Nix, gives none:
		// {"", []string{"--eval", "--xml", "-E", `{ a = 1; b = x: x; }`}},
		{"", []string{"--eval", "--xml", "default.nix"}},
		{"", []string{"--eval", "--xml", "--arg", "b", "1", "default.nix"}},
		{"", []string{"--eval", "--strict", "-A", "y.1", "attrs.nix"}},
		{"", []string{"--eval", "--strict", "-A", "nope", "attrs.nix"}},
		{"", []string{"--eval", "-E", "throw \"x\""}},
		{"", []string{"--eval", "-E", "1 +"}},
		{"1 + 2", []string{"--eval", "-"}},
		{"{ a = 1; }", []string{"--parse", "-"}},
		{"let x = 1; in x + y", []string{"--parse", "-"}},
		{"", []string{"--parse", "-E", "{ b = 1; a = x: x.y or 2; }"}},
		{"", []string{"--eval", "-E", "1", "-E", "2"}},
		{"", []string{"--eval", "--strict", "-E", "rec { a = { inherit b; }; b = { inherit a; }; }"}},
		{"", []string{"--eval", "-E", "let x = [ 1 ]; in [ x x ]"}},
		{"", []string{"--eval", "--strict", "-E", "let x = [ 1 ]; in [ x x ]"}},
	}
	for _, tt := range tests {
		name := strings.Join(tt.args, " ")
		got, gotCode := runFrazil(t, dir, tt.stdin, tt.args...)
		want, wantCode := runNix(t, nix, dir, tt.stdin, tt.args...)
		if gotCode != wantCode {
			t.Errorf("%s: exit status %d, nix-instantiate %d", name, gotCode, wantCode)
		}
		if got != want && !strings.Contains(name, "--parse") {
			t.Errorf("%s:\n got %q\nwant %q", name, got, want)
		}
	}
}

// TestInstantiateErrors checks that errors are reported with a position
// and exit status 1, never as a crash.
func TestInstantiateErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--eval", "-E", "let f = n: f (n + 1); in f 0"}, "stack overflow"},
		{[]string{"--eval", "-E", "let x = x + 1; in x"}, "infinite recursion"},
		{[]string{"--eval", "--max-call-depth", "100", "-E", "let f = n: if n == 0 then 0 else f (n - 1); in f 1000"}, "stack overflow"},
		{[]string{"--eval", "-E", "undefinedVar"}, "undefined variable 'undefinedVar'"},
		{[]string{"--eval", "--strict", "-E", "builtins.genList (x: x) 1000000 == builtins.genList (x: x) 1000000"}, ""},
		{[]string{"--bogus-flag"}, ""},
	}
	for _, tt := range tests {
		o, err := parseInstantiateArgs(tt.args)
		if err != nil {
			if tt.want != "" {
				t.Errorf("%v: %v", tt.args, err)
			}
			continue
		}
		var out, errb bytes.Buffer
		wd, _ := os.Getwd()
		os.Chdir(dir)
		code := instantiate(o, strings.NewReader(""), &out, &errb)
		os.Chdir(wd)
		if tt.want == "" {
			if code != 0 {
				t.Errorf("%v: exit status %d: %s", tt.args, code, errb.String())
			}
			continue
		}
		if code != 1 || !strings.Contains(errb.String(), tt.want) {
			t.Errorf("%v: exit status %d, stderr %q; want 1 and %q", tt.args, code, errb.String(), tt.want)
		}
		if strings.Contains(errb.String(), "goroutine") {
			t.Errorf("%v: Go stack dump in the error: %s", tt.args, errb.String())
		}
	}
}
