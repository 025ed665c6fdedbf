package eval

import (
	"regexp"
	"strings"
	"testing"
)

// fuzzBuiltin evaluates builtins.NAME applied to the input string and
// checks that it either succeeds or fails with an *Error, without a
// crash or hang.
func fuzzBuiltin(t *testing.T, name, input string) {
	ev := New(Options{Stderr: &strings.Builder{}})
	var err error
	err = ev.try(func() {
		b, _ := ev.builtins.Get(Intern(name))
		v := ev.call(b, NewString(input), 0)
		ev.forceDeep(v, 0)
	})
	if err != nil {
		if _, ok := err.(*Error); !ok {
			t.Fatalf("%s(%q): error of type %T: %v", name, input, err, err)
		}
		if e := err.(*Error); e.Kind == ErrInternal {
			t.Fatalf("%s(%q): internal error: %v", name, input, e)
		}
	}
}

func FuzzFromJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,2.5,true,null,"x\u00e9"]}`, `[`, `"\ud83d\ude00"`, `1e400`, `-0`, `{"a":1,"a":2}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzBuiltin(t, "fromJSON", s) })
}

func FuzzFromTOML(f *testing.F) {
	for _, s := range []string{"a = 1\n[t]\nb = [1, 'x', {c = 2}]\n[[arr]]\n", `s = """x\`, "x.y.z = 1\nx.y = 2", "a = 0x_1", "[a]\n[a]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { fuzzBuiltin(t, "fromTOML", s) })
}

var bigNumber = regexp.MustCompile(`[0-9]{4}|[0-9]e|genList|replaceStrings|concatStringsSep|import|readFile|readDir|toFile|path|filterSource|derivation`)

// FuzzEval evaluates arbitrary source text: parse and evaluation errors
// are fine, crashes and internal errors are not.
func FuzzEval(f *testing.F) {
	for _, s := range []string{"let x = 1; in x + 2", "rec { a = b; b = a; }.a", "builtins.genList (x: x) 10", "with { a = 1; }; a", "({ a ? 1, ... }@x: x) { b = 2; }"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// Large numbers make legitimately huge lists or strings.
		if len(s) > 300 || bigNumber.MatchString(s) {
			return
		}
		ev := New(Options{Stderr: &strings.Builder{}, MaxDepth: 2000, MaxSteps: 100000, Pure: true, Store: NewComputeStore()})
		p, err := ev.ParseString(s, "«fuzz»", "/nonexistent")
		if err != nil {
			return
		}
		v, err := ev.Eval(p)
		if err == nil {
			err = ev.ForceDeep(v)
		}
		if e, ok := err.(*Error); ok && e.Kind == ErrInternal {
			t.Fatalf("internal error on %q: %v", s, e)
		}
	})
}
