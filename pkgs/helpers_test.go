package pkgs_test

// This file holds what the package set's tests share: one store per test
// run (the Go toolchain, the module set and the u-root build are made
// once and reused by every test), and helpers to build expressions in it.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frazil/frazil/build"
	"github.com/frazil/frazil/builder"
	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

var (
	storeOnce sync.Once
	shared    *store.Store
	storeErr  error
	storeDir  string
	removeDir bool
)

// TestMain removes the shared store afterwards, unless it was given as
// FRAZIL_PKGS_STORE (to keep the built packages between runs).
func TestMain(m *testing.M) {
	if os.Getenv(childBuildEnv) != "" {
		os.Exit(childBuild())
	}
	code := m.Run()
	if shared != nil {
		shared.Close()
	}
	if removeDir {
		makeWritable(storeDir)
		os.RemoveAll(storeDir)
	}
	os.Exit(code)
}

func makeWritable(dir string) {
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.IsDir() {
			os.Chmod(p, 0o755)
		}
		return nil
	})
}

// sharedStore returns the store every test builds in.
func sharedStore(t testing.TB) *store.Store {
	t.Helper()
	testutil.RequireRoot(t)
	storeOnce.Do(func() {
		storeDir = os.Getenv("FRAZIL_PKGS_STORE")
		if storeDir == "" {
			storeDir, storeErr = os.MkdirTemp("", "frazil-pkgs-test-")
			removeDir = true
		}
		if storeErr == nil {
			shared, storeErr = store.Open(storeDir)
		}
	})
	if storeErr != nil {
		t.Fatal(storeErr)
	}
	return shared
}

// repoRoot is the repository holding pkgs/.
func repoRoot(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd)
}

// withPkgs returns expr evaluated with the package set of system in
// scope: `with import <repo>/pkgs { system = …; }; expr`.
func withPkgs(t testing.TB, system, expr string) string {
	return fmt.Sprintf("with import %s/pkgs { system = %q; }; %s", repoRoot(t), system, expr)
}

// events records builder events.
type events struct {
	mu   sync.Mutex
	list []builder.Event
}

func (e *events) record(ev builder.Event) {
	e.mu.Lock()
	e.list = append(e.list, ev)
	e.mu.Unlock()
}

// count returns how many events of kind k were recorded.
func (e *events) count(k builder.EventKind) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, ev := range e.list {
		if ev.Kind == k {
			n++
		}
	}
	return n
}

// maxRunning returns the most builds that ran at once.
func (e *events) maxRunning() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	m := 0
	for _, ev := range e.list {
		m = max(m, ev.Progress.Running)
	}
	return m
}

// buildIn evaluates expr and realises it in s with opts (Jobs default
// 2), logging progress and the build logs to the test log.
func buildIn(t testing.TB, s *store.Store, expr string, opts build.Options) (*build.Result, *events, error) {
	t.Helper()
	ev := &events{}
	w := &testWriter{t: t}
	prog := build.NewProgress(w, false)
	if opts.Builder.Jobs == 0 {
		opts.Builder.Jobs = 2
	}
	opts.Builder.Progress = func(e builder.Event) { ev.record(e); prog.Event(e) }
	opts.Builder.LogTo = w
	res, err := build.Run(context.Background(), s, &build.Expr{Expr: expr, Stderr: w}, &opts)
	return res, ev, err
}

// mustBuild builds expr in the shared store and returns the outputs.
func mustBuild(t testing.TB, expr string) []build.Output {
	t.Helper()
	start := time.Now()
	res, _, err := buildIn(t, sharedStore(t), expr, build.Options{})
	if err != nil {
		t.Fatalf("build %s: %v", expr, err)
	}
	t.Logf("built in %s", time.Since(start).Round(time.Millisecond))
	return res.Outputs
}

// testWriter sends lines to t.Log.
type testWriter struct {
	t  testing.TB
	mu sync.Mutex
}

func (w *testWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// realPath is where p is in the shared store.
func realPath(t testing.TB, p storepath.Path) string {
	return sharedStore(t).RealPath(p)
}

// nonce makes derivations unique to this test run, so they are built
// even in a store kept between runs.
var nonce = fmt.Sprint(time.Now().UnixNano())

// hostSystem is the build machine's system.
var hostSystem = map[string]string{"amd64": "x86_64-linux", "arm64": "aarch64-linux", "386": "i686-linux"}[runtime.GOARCH]

// systems are the targets every package builds for.
var systems = []string{"x86_64-linux", "aarch64-linux", "i686-linux"}

// buildOptions are the options of a build with no result links.
func buildOptions() build.Options { return build.Options{} }
