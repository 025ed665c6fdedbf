package builder

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
)

func TestPrefixWriter(t *testing.T) {
	var out bytes.Buffer
	w := newPrefixWriter(&out, "pkg")
	for _, chunk := range []string{"one\ntw", "o\n", "", "three"} {
		if n, err := w.Write([]byte(chunk)); n != len(chunk) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", chunk, n, err)
		}
	}
	if got, want := out.String(), "pkg> one\npkg> two\n"; got != want {
		t.Errorf("before Flush: %q, want %q", got, want)
	}
	w.Flush()
	if got, want := out.String(), "pkg> one\npkg> two\npkg> three\n"; got != want {
		t.Errorf("after Flush: %q, want %q", got, want)
	}
}

func TestLogTo(t *testing.T) {
	e := newTestEnv(t)
	a := e.drv(spec{name: "a", args: []string{"echo", "from a", "mkdir", "$out"}})
	b := e.drv(spec{name: "b", args: []string{"echo", "from b", "exit", "1"}})
	var out bytes.Buffer
	e.realise(Options{LogTo: &out, KeepGoing: true}, a, b)
	got := out.String()
	for _, want := range []string{"a> from a\n", "b> from b\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("LogTo got %q, want it to contain %q", got, want)
		}
	}
	if _, err := Log(e.s, e.tb); err == nil {
		t.Errorf("Log of a path that was never built succeeded")
	}
}

func TestParseEnvPackages(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  bool
	}{
		{"", "", false},
		{"true 5 1 /a", "/a:true:5", false},
		{"true 5 2 /a /b false -3 1 /c", "/a:true:5 /b:true:5 /c:false:-3", false},
		{"true 5 0 true 1 1 /x", "/x:true:1", false},
		{"true 5", "", true},
		{"true x 1 /a", "", true},
		{"true 5 2 /a", "", true},
		{"true 5 -1", "", true},
	}
	for _, tt := range tests {
		pkgs, err := parseEnvPackages(tt.in)
		if (err != nil) != tt.err {
			t.Errorf("parseEnvPackages(%q) error = %v, want error %v", tt.in, err, tt.err)
			continue
		}
		var got []string
		for _, p := range pkgs {
			got = append(got, p.path+":"+map[bool]string{true: "true", false: "false"}[p.active]+":"+strconv.Itoa(p.priority))
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("parseEnvPackages(%q) = %v, want %s", tt.in, got, tt.want)
		}
	}
}

func FuzzParseEnvPackages(f *testing.F) {
	f.Add("true 5 2 /a /b false -3 1 /c")
	f.Add("true 5 9")
	f.Fuzz(func(t *testing.T, s string) {
		pkgs, err := parseEnvPackages(s)
		if err != nil {
			return
		}
		if len(pkgs) > len(strings.Fields(s)) {
			t.Fatalf("parseEnvPackages(%q) returned %d packages from %d tokens", s, len(pkgs), len(strings.Fields(s)))
		}
	})
}
