package builder

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/nar"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

func TestCheck(t *testing.T) {
	e := newTestEnv(t)
	same := e.drv(spec{name: "same", args: []string{"mkdir", "$out", "write", "$out/f", "stable"}})
	random := e.drv(spec{name: "random", args: []string{"mkdir", "$out", "random", "$out/f"}})
	if _, _, err := e.realise(Options{}, same, random); err != nil {
		t.Fatal(err)
	}
	before, _ := e.s.QueryPathInfo(e.out(random))

	_, rec, err := e.realise(Options{Check: true}, same)
	if err != nil || rec.count(BuildFinished) != 1 {
		t.Errorf("--check of a deterministic build: %v, %d builds", err, rec.count(BuildFinished))
	}
	_, _, err = e.realise(Options{Check: true}, random)
	want := fmt.Sprintf("derivation '%s' may not be deterministic: output '%s' differs:\n  registered: %s\n     rebuilt: sha256-", random, e.out(random), before.NarHash.SRI())
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("--check of a random build: error\n%v\nwant\n%s…", err, want)
	}
	after, _ := e.s.QueryPathInfo(e.out(random))
	if !after.NarHash.Equal(before.NarHash) || e.read(e.out(random), "f") == "" {
		t.Errorf("--check changed the registered output")
	}
	left, _ := filepath.Glob(filepath.Join(e.s.Root(), "nix/store/.tmp-*"))
	if len(left) > 0 {
		t.Errorf("scratch files left in the store: %v", left)
	}

	unbuilt := e.drv(spec{name: "unbuilt", args: []string{"mkdir", "$out"}})
	if _, _, err := e.realise(Options{Check: true}, unbuilt); err == nil || !strings.Contains(err.Error(), "so checking is not possible") {
		t.Errorf("--check of an unbuilt derivation: %v", err)
	}
}

// fakeSubstituter serves paths from trees on disk.
type fakeSubstituter struct {
	mu    sync.Mutex
	paths map[storepath.Path]fakePath
	got   []storepath.Path
}

type fakePath struct {
	dir  string
	refs []storepath.Path
}

func (f *fakeSubstituter) Has(ctx context.Context, p storepath.Path) (bool, error) {
	_, ok := f.paths[p]
	return ok, nil
}

func (f *fakeSubstituter) Substitute(ctx context.Context, s *store.Store, p storepath.Path) error {
	fp, ok := f.paths[p]
	if !ok {
		return fmt.Errorf("no %s", p)
	}
	for _, r := range fp.refs {
		if ok, _ := s.IsValid(r); !ok && r != p {
			if err := f.Substitute(ctx, s, r); err != nil {
				return err
			}
		}
	}
	var buf bytes.Buffer
	if err := nar.DumpPath(&buf, fp.dir); err != nil {
		return err
	}
	f.mu.Lock()
	f.got = append(f.got, p)
	f.mu.Unlock()
	info := &store.PathInfo{Path: p, NarHash: nixhash.Sum(nixhash.SHA256, buf.Bytes()), NarSize: uint64(buf.Len()), References: fp.refs}
	return s.AddNAR(info, &buf)
}

func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "t")
	for rel, c := range files {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, rel), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestSubstitute(t *testing.T) {
	e := newTestEnv(t)
	// never must not be built: it fails. Its dependent is substituted, so
	// it is not needed.
	never := e.drv(spec{name: "never", args: []string{"exit", "1"}})
	sub := e.drv(spec{name: "sub", args: []string{"exit", "1"}, inputs: map[string][]string{string(never): {"out"}}})
	dep := storepath.Path("/nix/store/" + strings.Repeat("1", 32) + "-runtime-dep")
	fake := &fakeSubstituter{paths: map[storepath.Path]fakePath{
		e.out(sub): {dir: tree(t, map[string]string{"f": "from the cache, needs " + string(dep)}), refs: []storepath.Path{dep}},
		dep:        {dir: tree(t, map[string]string{"g": "dep"})},
	}}
	// A build using the substituted output.
	user := e.drv(spec{name: "user", inputs: map[string][]string{string(sub): {"out"}}, env: map[string]string{"sub": string(e.out(sub))},
		args: []string{"mkdir", "$out", "copy", "$sub/f", "$out/copy"}})

	_, rec, err := e.realise(Options{Substituters: []Substituter{fake}}, user)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.read(e.out(sub), "f"); !strings.HasPrefix(got, "from the cache") {
		t.Errorf("substituted output = %q", got)
	}
	if ok, _ := e.s.IsValid(dep); !ok {
		t.Errorf("reference of a substituted path is not valid")
	}
	if got := e.read(e.out(user), "copy"); !strings.HasPrefix(got, "from the cache") {
		t.Errorf("build using a substituted input: %q", got)
	}
	if rec.count(SubstituteFinished) != 1 || rec.count(BuildStarted) != 1 {
		t.Errorf("%d substitutions, %d builds; want 1 and 1 (events %v)", rec.count(SubstituteFinished), rec.count(BuildStarted), rec.events)
	}
	if ok, _ := e.s.IsValid(e.out(never)); ok {
		t.Errorf("input of a substituted derivation was built")
	}
}

// failingSubstituter claims to have everything and fails to deliver.
type failingSubstituter struct{}

func (failingSubstituter) Has(context.Context, storepath.Path) (bool, error) { return true, nil }
func (failingSubstituter) Substitute(context.Context, *store.Store, storepath.Path) error {
	return fmt.Errorf("cache is down")
}

func TestSubstituteFailure(t *testing.T) {
	e := newTestEnv(t)
	drv := e.drv(spec{name: "x", args: []string{"mkdir", "$out"}})
	_, rec, err := e.realise(Options{Substituters: []Substituter{failingSubstituter{}}}, drv)
	if err == nil || !strings.Contains(err.Error(), "cache is down") || rec.count(SubstituteFailed) != 1 {
		t.Errorf("Realise error = %v, events %v", err, rec.events)
	}
}
