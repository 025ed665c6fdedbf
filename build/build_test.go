package build

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frazil/frazil/builder"
	"github.com/frazil/frazil/eval"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

func TestLinkName(t *testing.T) {
	for _, tt := range []struct {
		i      int
		output string
		want   string
	}{
		{0, "out", "result"},
		{0, "dev", "result-dev"},
		{1, "out", "result-2"},
		{2, "man", "result-3-man"},
	} {
		if got := linkName("result", tt.i, tt.output); got != tt.want {
			t.Errorf("linkName(result, %d, %s) = %q, want %q", tt.i, tt.output, got, tt.want)
		}
	}
}

func TestOutputNames(t *testing.T) {
	got := outputNames(map[string]storepath.Path{"dev": "", "bin": "", "out": ""})
	if strings.Join(got, " ") != "out bin dev" {
		t.Errorf("outputNames = %v, want [out bin dev]", got)
	}
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestStoreAdapterAddPath checks that paths added through the adapter
// have the paths the evaluator computes, with and without a filter, and
// that adding them again copies nothing.
func TestStoreAdapterAddPath(t *testing.T) {
	s := openStore(t)
	src := filepath.Join(t.TempDir(), "src")
	os.MkdirAll(filepath.Join(src, "sub"), 0o755)
	os.MkdirAll(filepath.Join(src, ".git"), 0o755)
	os.WriteFile(filepath.Join(src, "a"), []byte("a"), 0o644)
	os.WriteFile(filepath.Join(src, "sub", "run"), []byte("#!x"), 0o755)
	os.WriteFile(filepath.Join(src, ".git", "HEAD"), []byte("x"), 0o644)
	os.Symlink("a", filepath.Join(src, "link"))
	noGit := func(p, typ string) bool { return filepath.Base(p) != ".git" }
	a := &StoreAdapter{Store: s}
	for _, tt := range []struct {
		name   string
		filter eval.PathFilter
		m      storepath.Method
		src    string
	}{
		{"all", nil, storepath.Recursive, src},
		{"filtered", noGit, storepath.Recursive, src},
		{"flat", nil, storepath.Flat, filepath.Join(src, "sub", "run")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want, wantHash, err := eval.NewComputeStore().AddPath(tt.src, tt.name, tt.m, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			got, gotHash, err := a.AddPath(tt.src, tt.name, tt.m, tt.filter)
			if err != nil || got != want || !gotHash.Equal(wantHash) {
				t.Fatalf("AddPath = %s %v, %v; want %s %v", got, gotHash, err, want, wantHash)
			}
			info, err := s.QueryPathInfo(got)
			if err != nil {
				t.Fatalf("%s is not valid: %v", got, err)
			}
			if tt.m == storepath.Recursive && !info.NarHash.Equal(wantHash) {
				t.Errorf("NAR hash %v, want %v", info.NarHash, wantHash)
			}
			again, _, err := a.AddPath(tt.src, tt.name, tt.m, tt.filter)
			if err != nil || again != got {
				t.Errorf("second AddPath = %s, %v; want %s", again, err, got)
			}
		})
	}
}

func TestInstantiate(t *testing.T) {
	s := openStore(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "default.nix"), []byte(`{ system ? "none", n ? 1 }: {
  a = derivation { name = "a-${system}-${toString n}"; system = "builtin"; builder = "builtin:buildenv"; derivations = ""; manifest = ./default.nix; };
  b = 1;
}`), 0o644)
	for _, tt := range []struct {
		name string
		e    Expr
		want string // the derivation's name
		err  string
	}{
		{"file", Expr{File: dir, Attrs: []string{"a"}}, "a-none-1.drv", ""},
		{"system", Expr{File: dir, Attrs: []string{"a"}, System: "aarch64-linux"}, "a-aarch64-linux-1.drv", ""},
		{"args", Expr{File: dir, Attrs: []string{"a"}, Args: []Arg{{Name: "n", Value: "1 + 1"}, {Name: "system", Value: "s", IsString: true}}}, "a-s-2.drv", ""},
		{"expr", Expr{Expr: "(import " + dir + " {}).a"}, "a-none-1.drv", ""},
		{"no derivation", Expr{File: dir, Attrs: []string{"b"}}, "", "does not evaluate to a derivation"},
		{"missing attribute", Expr{File: dir, Attrs: []string{"c"}}, "", "attribute 'c' in selection path 'c' not found"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			drvs, err := Instantiate(s, &tt.e)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("Instantiate: %v, want an error containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(drvs) != 1 || drvs[0].Name() != tt.want {
				t.Fatalf("Instantiate = %v, want one %s", drvs, tt.want)
			}
			if ok, _ := s.IsValid(drvs[0]); !ok {
				t.Errorf("%s is not valid in the store", drvs[0])
			}
		})
	}
}

func TestEvalErrorIsFormatted(t *testing.T) {
	s := openStore(t)
	_, err := Instantiate(s, &Expr{Expr: `throw "boom"`})
	var ee *EvalError
	if !errors.As(err, &ee) || !strings.Contains(ee.Msg, "boom") {
		t.Errorf("Instantiate(throw) = %v, want an *EvalError mentioning boom", err)
	}
}

func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf, true)
	t0 := time.Unix(1000, 0)
	drv := storepath.Path("/nix/store/00000000000000000000000000000000-x.drv")
	p.Event(builder.Event{Kind: builder.Planned, Progress: builder.Progress{Total: 2}, Time: t0})
	p.Event(builder.Event{Kind: builder.BuildStarted, Path: drv, Progress: builder.Progress{Total: 2, Running: 1}, Time: t0})
	p.Event(builder.Event{Kind: builder.BuildFinished, Path: drv, Progress: builder.Progress{Total: 2, Done: 1}, Time: t0.Add(1500 * time.Millisecond)})
	p.Done()
	want := "2 derivations will be built or substituted\n" +
		"[0/2] building '" + string(drv) + "'...\n" +
		"[0/2 done, 1 running: x.drv]\r\x1b[K" +
		"[1/2] built '" + string(drv) + "' in 1.5s\n"
	if got := buf.String(); got != want {
		t.Errorf("progress output:\n%q\nwant\n%q", got, want)
	}
}
