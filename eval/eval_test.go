package eval

import (
	"errors"
	"strings"
	"testing"
)

// evalString evaluates src deeply and prints it.
func evalString(t *testing.T, opts Options, src string) (string, error) {
	t.Helper()
	if opts.Stderr == nil {
		opts.Stderr = &strings.Builder{}
	}
	ev := New(opts)
	p, err := ev.ParseString(src, "«test»", "/")
	if err != nil {
		return "", err
	}
	v, err := ev.Eval(p)
	if err == nil {
		err = ev.ForceDeep(v)
	}
	if err != nil {
		return "", err
	}
	return ev.Print(v)
}

// TestDepthLimits checks that deep recursion and deep data are errors,
// not crashes of the Go stack.
func TestDepthLimits(t *testing.T) {
	tests := []struct {
		name, src string
	}{
		{"recursion", "let f = n: 1 + f (n + 1); in f 0"},
		{"thunk chain", "let xs = builtins.genList (i: if i == 0 then 0 else builtins.elemAt xs (i - 1) + 1) 300000; in builtins.elemAt xs 299999"},
		{"deep list", "builtins.foldl' (a: b: [ a ]) [ ] (builtins.genList (x: x) 300000)"},
		{"deep equality", "let l = builtins.foldl' (a: b: [ a ]) [ ] (builtins.genList (x: x) 300000); m = builtins.foldl' (a: b: [ a ]) [ ] (builtins.genList (x: x) 300000); in l == m"},
		{"deep JSON", "builtins.toJSON (builtins.foldl' (a: b: { a = a; }) { } (builtins.genList (x: x) 300000))"},
		{"deep toString", "toString (builtins.foldl' (a: b: [ a ]) [ ] (builtins.genList (x: x) 300000))"},
		{"deep XML", "builtins.toXML (builtins.foldl' (a: b: [ a ]) [ ] (builtins.genList (x: x) 300000))"},
		{"deep comparison", "let l = builtins.foldl' (a: b: [ a ]) [ 1 ] (builtins.genList (x: x) 300000); m = builtins.foldl' (a: b: [ a ]) [ 2 ] (builtins.genList (x: x) 300000); in l < m"},
	}
	for _, tt := range tests {
		_, err := evalString(t, Options{MaxDepth: 20000}, tt.src)
		var e *Error
		if !errors.As(err, &e) || e.Kind != ErrRecursion || !strings.Contains(e.Msg, "stack overflow") {
			t.Errorf("%s: got %v, want a stack overflow error", tt.name, err)
		}
	}
}

// TestRecursionWithinLimit checks that recursion below the limit works.
func TestRecursionWithinLimit(t *testing.T) {
	got, err := evalString(t, Options{}, "let f = n: if n == 0 then 0 else 1 + f (n - 1); in f 30000")
	if err != nil || got != "30000" {
		t.Errorf("got %q, %v; want 30000", got, err)
	}
}

// TestThunkReevaluatedAfterError checks that a thunk whose evaluation
// failed (and was caught by tryEval) is evaluated again when forced, as in
// Nix, instead of reporting infinite recursion.
func TestThunkReevaluatedAfterError(t *testing.T) {
	src := `let x = throw "boom"; in [ (builtins.tryEval x).success (builtins.tryEval x).success ]`
	got, err := evalString(t, Options{}, src)
	if err != nil || got != "[ false false ]" {
		t.Errorf("got %q, %v; want [ false false ]", got, err)
	}
}

// TestErrorFormat checks the error report: message, position, source
// lines and the trace.
func TestErrorFormat(t *testing.T) {
	src := "let\n  f = x: x.a + 1;\n  s = { b = f { a = \"x\"; }; };\nin\n  s.b\n"
	_, err := evalString(t, Options{}, src)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want an *Error", err)
	}
	got := e.Format(true)
	for _, want := range []string{
		"error: cannot coerce an integer to a string: 1",
		"at «test»:2:16:",
		"            2|   f = x: x.a + 1;\n             |                ^",
		"… while calling 'f'",
		"… from call site",
		"at «test»:3:13:",
		"… while evaluating the attribute 'b'",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if short := e.Format(false); strings.Contains(short, "while calling") || !strings.Contains(short, "--show-trace") {
		t.Errorf("report without trace:\n%s", short)
	}
}

// TestPanicsBecomeErrors checks that no panic escapes: a builtin that
// hits a Go runtime error reports an internal error.
func TestPanicsBecomeErrors(t *testing.T) {
	ev := New(Options{Stderr: &strings.Builder{}})
	err := ev.try(func() {
		var m map[string]int
		m["x"] = 1 // a Go runtime panic
	})
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrInternal {
		t.Errorf("got %v, want an internal error", err)
	}
}

// TestAutoCallAndSelectPath exercises the entry points nix-instantiate's
// --arg and -A use.
func TestAutoCallAndSelectPath(t *testing.T) {
	ev := New(Options{Stderr: &strings.Builder{}})
	p, err := ev.ParseString("{ a, b ? 2, ... }@args: { sum = a + b; n = builtins.length (builtins.attrNames args); l = [ { x = 5; } ]; }", "«test»", "/")
	if err != nil {
		t.Fatal(err)
	}
	v, err := ev.Eval(p)
	if err != nil {
		t.Fatal(err)
	}
	args := NewArgs(map[string]Value{"a": Int(1), "c": Int(3)})
	for path, want := range map[string]string{"sum": "3", "n": "2", "l.0.x": "5"} {
		got, err := ev.SelectPath(v, path, args)
		if err != nil {
			t.Errorf("SelectPath %s: %v", path, err)
			continue
		}
		if s, _ := ev.Print(got); s != want {
			t.Errorf("SelectPath %s = %s, want %s", path, s, want)
		}
	}
	if _, err := ev.SelectPath(v, "nope", args); err == nil || !strings.Contains(err.Error(), "attribute 'nope' in selection path 'nope' not found") {
		t.Errorf("SelectPath nope: got %v", err)
	}
	// With "...", every automatic argument is passed, and a is missing.
	if _, err := ev.AutoCall(v, NewArgs(nil)); err == nil || !strings.Contains(err.Error(), "called without required argument 'a'") {
		t.Errorf("AutoCall without a: got %v", err)
	}
	p2, err := ev.ParseString("{ a }: a", "«test»", "/")
	if err != nil {
		t.Fatal(err)
	}
	v2, err := ev.Eval(p2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ev.AutoCall(v2, NewArgs(nil)); err == nil || !strings.Contains(err.Error(), "argument without a value ('a')") {
		t.Errorf("AutoCall without a: got %v", err)
	}
}

// TestMaxSteps checks the step limit used for untrusted input.
func TestMaxSteps(t *testing.T) {
	_, err := evalString(t, Options{MaxSteps: 1000}, "builtins.foldl' (a: b: a + b) 0 (builtins.genList (x: x) 100000)")
	if err == nil || !strings.Contains(err.Error(), "more than 1000 steps") {
		t.Errorf("got %v, want a step limit error", err)
	}
}
