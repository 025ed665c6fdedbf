package builder

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/derivation"
	"github.com/frazil/frazil/store/storepath"
)

// testEnv is a store holding the static test builder as an input source,
// and helpers to make derivations that run it.
type testEnv struct {
	t      testing.TB
	s      *store.Store
	tb     storepath.Path // the test builder's store path (a directory with bin/testbuilder)
	hashes map[string][]byte
}

func newTestEnv(t testing.TB) *testEnv {
	t.Helper()
	testutil.RequireRoot(t)
	tbBin := testBuilder(t)
	s, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	src := filepath.Join(t.TempDir(), "testbuilder")
	if err := os.MkdirAll(filepath.Join(src, "bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(tbBin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(src, "bin/testbuilder"), b, 0o755); err != nil {
		t.Fatal(err)
	}
	info, err := s.AddTree(src, "testbuilder", storepath.Recursive, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{t: t, s: s, tb: info.Path, hashes: map[string][]byte{}}
}

// spec describes a derivation for testEnv.drv.
type spec struct {
	name    string
	outputs []string            // default ["out"]
	args    []string            // test builder operations
	env     map[string]string   // extra env
	inputs  map[string][]string // input drv path -> outputs used
	srcs    []storepath.Path    // extra input sources
	fixed   *derivation.Output  // makes it a fixed-output derivation (HashAlgo, Hash)
	builder string              // default: the test builder
	system  string              // default: the host's
}

// drv writes the derivation described by sp to the store and returns its
// path, like nix-instantiate.
func (e *testEnv) drv(sp spec) storepath.Path {
	e.t.Helper()
	d := e.derivation(sp)
	p, err := e.s.AddText(d.Name+".drv", d.ATerm(), d.References())
	if err != nil {
		e.t.Fatal(err)
	}
	if want, _ := d.DrvPath(); p != want {
		e.t.Fatalf("AddText(%s) = %s, DrvPath says %s", d.Name, p, want)
	}
	return p
}

func (e *testEnv) derivation(sp spec) *derivation.Derivation {
	e.t.Helper()
	system, _ := hostSystem()
	if sp.system != "" {
		system = sp.system
	}
	builder := sp.builder
	if builder == "" {
		builder = string(e.tb) + "/bin/testbuilder"
	}
	d := &derivation.Derivation{
		Name: sp.name, Platform: system, Builder: builder, Args: sp.args,
		Outputs:   map[string]derivation.Output{},
		InputDrvs: map[string][]string{},
		Env:       map[string]string{"name": sp.name, "system": system, "builder": builder},
	}
	if !strings.HasPrefix(builder, "builtin:") {
		d.InputSrcs = append(d.InputSrcs, string(e.tb))
	}
	for _, s := range sp.srcs {
		d.InputSrcs = append(d.InputSrcs, string(s))
	}
	sort.Strings(d.InputSrcs)
	outs := sp.outputs
	if len(outs) == 0 {
		outs = []string{"out"}
	}
	for _, o := range outs {
		d.Outputs[o] = derivation.Output{}
	}
	if len(outs) > 1 {
		d.Env["outputs"] = strings.Join(outs, " ")
	}
	if sp.fixed != nil {
		d.Outputs["out"] = *sp.fixed
	}
	for k, v := range sp.env {
		d.Env[k] = v
	}
	for p, o := range sp.inputs {
		d.InputDrvs[p] = o
	}
	if err := d.FillOutputs(e.load, e.hashes); err != nil {
		e.t.Fatal(err)
	}
	return d
}

func (e *testEnv) load(p string) (*derivation.Derivation, error) {
	return derivation.ReadFile(e.s.RealPath(storepath.Path(p)), storepath.Path(p))
}

// outputs returns the output paths of the derivation at p.
func (e *testEnv) outputs(p storepath.Path) map[string]storepath.Path {
	e.t.Helper()
	d, err := e.load(string(p))
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]storepath.Path{}
	for n, o := range d.Outputs {
		out[n] = storepath.Path(o.Path)
	}
	return out
}

// out returns the path of output "out" of the derivation at p.
func (e *testEnv) out(p storepath.Path) storepath.Path { return e.outputs(p)["out"] }

// read returns the contents of a file in the store.
func (e *testEnv) read(p storepath.Path, rel string) string {
	e.t.Helper()
	b, err := os.ReadFile(filepath.Join(e.s.RealPath(p), rel))
	if err != nil {
		e.t.Fatal(err)
	}
	return string(b)
}

// recorder collects progress events.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) record(ev Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
}

func (r *recorder) count(k EventKind) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, ev := range r.events {
		if ev.Kind == k {
			n++
		}
	}
	return n
}

// realise runs a Builder with opts on drvs and records its events.
func (e *testEnv) realise(opts Options, drvs ...storepath.Path) (Result, *recorder, error) {
	e.t.Helper()
	rec := &recorder{}
	opts.Progress = rec.record
	res, err := New(e.s, opts).Realise(context.Background(), drvs)
	return res, rec, err
}
