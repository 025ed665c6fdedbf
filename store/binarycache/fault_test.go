package binarycache

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/signature"
	"github.com/frazil/frazil/store/storepath"
)

// The fault tests run CopyFrom in a child process (this test binary, with
// TestFaultChild selected) and SIGKILL it at each fault point it passes —
// binarycache's and the store's — and at random times. After each crash
// the store must verify consistent with no partly added path, and a new
// copy must complete.

const (
	envChild = "FRAZIL_BINARYCACHE_FAULT_CHILD"
	envCache = "FRAZIL_BINARYCACHE_FAULT_CACHE"
	envStore = "FRAZIL_BINARYCACHE_FAULT_STORE"
	envKey   = "FRAZIL_BINARYCACHE_FAULT_KEY"
	envRoots = "FRAZIL_BINARYCACHE_FAULT_ROOTS"
)

// TestFaultChild is the child's body.
func TestFaultChild(t *testing.T) {
	if os.Getenv(envChild) != "1" {
		t.Skip("run by TestCopyFromCrash as a child process")
	}
	c, err := Open(os.Getenv(envCache))
	if err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(os.Getenv(envStore))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := signature.ParseTrustedKeys(os.Getenv(envKey))
	if err != nil {
		t.Fatal(err)
	}
	var roots []storepath.Path
	for _, r := range strings.Fields(os.Getenv(envRoots)) {
		roots = append(roots, storepath.Path(r))
	}
	if _, err := CopyFrom(context.Background(), c, s, roots, CopyOptions{Trust: Trust{Keys: keys}}); err != nil {
		t.Fatal(err)
	}
}

type faultFixture struct {
	cacheURL, pub string
	roots, all    []storepath.Path
	trust         Trust
}

// newFaultFixture writes a closure of six paths, some large enough for a
// random kill to land mid-download, to a zstd file cache (xz compresses
// too slowly to make megabytes for every test run).
func newFaultFixture(t *testing.T) *faultFixture {
	t.Helper()
	sk, _ := signature.Generate("fault-1", nil)
	rng := rand.New(rand.NewSource(1))
	big := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = "abcdefgh\n"[rng.Intn(9)]
		}
		return string(b)
	}
	fx := closureFixture(t, "fault")
	extra1 := makeIAPath(t, "big1", big(256<<10), fx[2].info.StorePath)
	extra2 := makeIAPath(t, "big2", big(128<<10)+string(extra1.info.StorePath), extra1.info.StorePath, fx[3].info.StorePath)
	fx = append(fx, extra1, extra2)
	_, dir := fileCache(t, Zstd, sk, fx...)
	f := &faultFixture{cacheURL: "file://" + dir, pub: sk.Public().String(), roots: []storepath.Path{extra2.info.StorePath}}
	for _, p := range fx {
		f.all = append(f.all, p.info.StorePath)
	}
	f.trust = Trust{Keys: signature.TrustedKeys{"fault-1": sk.Public()}}
	return f
}

// runChild runs the copy in a child; it reports whether SIGKILL ended it.
func (f *faultFixture) runChild(t *testing.T, storeDir string, env []string, killAfter time.Duration) bool {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestFaultChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envChild+"=1", envCache+"="+f.cacheURL, envStore+"="+storeDir,
		envKey+"="+f.pub, envRoots+"="+strings.Join(pathStrings(f.roots), " "))
	cmd.Env = append(cmd.Env, env...)
	out := &strings.Builder{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if killAfter > 0 {
		timer := time.AfterFunc(killAfter, func() { cmd.Process.Signal(syscall.SIGKILL) })
		defer timer.Stop()
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true
		}
	}
	if err != nil {
		t.Fatalf("child failed: %v\n%s", err, out)
	}
	return false
}

func pathStrings(ps []storepath.Path) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return out
}

// checkAfterCrash opens the store a killed child left, checks it, then
// completes the copy and checks again.
func (f *faultFixture) checkAfterCrash(t *testing.T, storeDir, what string) {
	t.Helper()
	s, err := store.Open(storeDir)
	if err != nil {
		t.Fatalf("%s: reopen: %v", what, err)
	}
	defer s.Close()
	rep, err := s.Verify(true)
	if err != nil {
		t.Fatalf("%s: Verify: %v", what, err)
	}
	if !rep.OK() {
		t.Errorf("%s: store inconsistent: missing %v corrupt %v dangling %v", what, rep.Missing, rep.Corrupt, rep.Dangling)
	}
	valid, _ := s.AllValid()
	for _, p := range valid {
		if !containsPath(f.all, p) {
			t.Errorf("%s: unexpected valid path %s", what, p)
		}
	}
	left, _ := filepath.Glob(filepath.Join(storeDir, "nix/store/.tmp-*"))
	if len(left) != 0 {
		t.Errorf("%s: temporary entries left after Verify: %v", what, left)
	}
	if _, err := CopyFrom(context.Background(), mustOpen(t, f.cacheURL), s, f.roots, CopyOptions{Trust: f.trust}); err != nil {
		t.Fatalf("%s: re-run: %v", what, err)
	}
	for _, p := range f.all {
		if ok, _ := s.IsValid(p); !ok {
			t.Errorf("%s: %s not valid after the re-run", what, p)
		}
	}
	if rep, err := s.Verify(true); err != nil || !rep.OK() {
		t.Errorf("%s: store inconsistent after the re-run: %v %+v", what, err, rep)
	}
}

func containsPath(ps []storepath.Path, p storepath.Path) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

func mustOpen(t *testing.T, url string) *Cache {
	t.Helper()
	c, err := Open(url)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCopyFromCrash kills the copy at every fault point (first, middle and
// last hit of each) and at random times.
func TestCopyFromCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("fault injection runs many child processes")
	}
	f := newFaultFixture(t)
	log := filepath.Join(t.TempDir(), "hits")
	start := time.Now()
	if f.runChild(t, t.TempDir(), []string{"FRAZIL_FAULTPOINT_LOG=" + log}, 0) {
		t.Fatal("child killed without a fault point set")
	}
	full := time.Since(start)
	t.Logf("a whole copy takes %v", full)
	hits := countHits(t, log)
	for _, want := range []string{"binarycache.copy.fetch", "binarycache.copy.added", "store.add.renamed", "store.add.committed"} {
		if hits[want] == 0 {
			t.Errorf("fault point %s never hit (hits: %v)", want, hits)
		}
	}
	names := make([]string, 0, len(hits))
	for n := range hits {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, n := range uniqueInts(1, (hits[name]+1)/2, hits[name]) {
			what := fmt.Sprintf("%s:%d", name, n)
			dir := t.TempDir()
			if !f.runChild(t, dir, []string{"FRAZIL_FAULTPOINT=" + what}, 0) {
				t.Errorf("%s: child was not killed", what)
				continue
			}
			f.checkAfterCrash(t, dir, what)
		}
	}
	rng := rand.New(rand.NewSource(time.Now().UnixNano()))
	for i := 0; i < 6; i++ {
		delay := time.Duration(rng.Int63n(int64(full))) + time.Millisecond
		dir := t.TempDir()
		killed := f.runChild(t, dir, nil, delay)
		f.checkAfterCrash(t, dir, fmt.Sprintf("random kill after %v (killed: %v)", delay, killed))
	}
}

func countHits(t *testing.T, log string) map[string]int {
	t.Helper()
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	hits := map[string]int{}
	for _, n := range strings.Fields(string(data)) {
		hits[n]++
	}
	return hits
}

func uniqueInts(ns ...int) []int {
	var out []int
	for _, n := range ns {
		if len(out) == 0 || out[len(out)-1] != n {
			out = append(out, n)
		}
	}
	return out
}
