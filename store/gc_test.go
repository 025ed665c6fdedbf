package store

import (
	"crypto/sha1"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/frazil/frazil/store/nixbase32"
	"github.com/frazil/frazil/store/storepath"
)

func validSet(t testing.TB, s *Store) map[storepath.Path]bool {
	t.Helper()
	all, err := s.AllValid()
	must(t, err)
	m := map[storepath.Path]bool{}
	for _, p := range all {
		m[p] = true
	}
	return m
}

func TestGCRoots(t *testing.T) {
	s := openStore(t)
	direct := chain(t, s, 2, "direct")   // kept through gcroots/direct
	profile := chain(t, s, 2, "profile") // kept through profiles/system -> system-1-link
	indirect := chain(t, s, 1, "indir")  // kept through gcroots/auto -> result
	stale := chain(t, s, 1, "stale")     // its auto root's link is gone
	dead := chain(t, s, 3, "dead")       // no root
	named := chain(t, s, 1, "named")     // a regular file named like the path
	s = reopen(t, s)                     // drop this process's temp roots
	gcroots := filepath.Join(s.stateDir, "gcroots")
	must(t, os.MkdirAll(filepath.Join(gcroots, "nested"), 0o755))
	must(t, os.Symlink(string(direct[1]), filepath.Join(gcroots, "nested", "direct")))
	must(t, os.WriteFile(filepath.Join(gcroots, named[0].Base()), nil, 0o644))
	profiles := filepath.Join(s.stateDir, "profiles")
	must(t, os.Symlink(s.RealPath(profile[1]), filepath.Join(profiles, "system-1-link")))
	must(t, os.Symlink("system-1-link", filepath.Join(profiles, "system")))
	result := filepath.Join(t.TempDir(), "result")
	must(t, s.AddPermRoot(indirect[0], result))
	staleLink := filepath.Join(t.TempDir(), "gone")
	must(t, s.AddPermRoot(stale[0], staleLink))
	must(t, os.Remove(staleLink))

	res, err := s.GC(GCOptions{})
	must(t, err)
	valid := validSet(t, s)
	for _, p := range append(append(append(direct, profile...), indirect...), named...) {
		if !valid[p] {
			t.Errorf("rooted path %s was collected", p)
		}
		if _, err := os.Lstat(s.RealPath(p)); err != nil {
			t.Errorf("rooted path %s: %v", p, err)
		}
	}
	for _, p := range append(dead, stale...) {
		if valid[p] {
			t.Errorf("unrooted path %s is still valid", p)
		}
		if _, err := os.Lstat(s.RealPath(p)); err == nil {
			t.Errorf("unrooted path %s is still on disk", p)
		}
	}
	// Referrers go first: dead-c before dead-b before dead-a.
	wantDead := []storepath.Path{stale[0], dead[2], dead[1], dead[0]}
	if !reflect.DeepEqual(orderOf(res.Deleted, wantDead), wantDead) {
		t.Errorf("deleted in order %v, want referrers first %v", res.Deleted, wantDead)
	}
	if len(res.Deleted) != 4 || res.BytesFreed == 0 {
		t.Errorf("deleted %d paths, %d bytes; want 4 paths and some bytes", len(res.Deleted), res.BytesFreed)
	}
	sum := sha1.Sum([]byte(staleLink))
	if _, err := os.Lstat(filepath.Join(gcroots, "auto", nixbase32.EncodeToString(sum[:]))); !os.IsNotExist(err) {
		t.Errorf("stale indirect root not removed: %v", err)
	}
	if rep, err := s.Verify(true); err != nil || !rep.OK() {
		t.Errorf("Verify after GC: %+v, %v", rep, err)
	}
}

// orderOf returns the elements of want in the order they appear in got.
func orderOf(got, want []storepath.Path) []storepath.Path {
	in := map[storepath.Path]bool{}
	for _, p := range want {
		in[p] = true
	}
	var out []storepath.Path
	for _, p := range got {
		if in[p] {
			out = append(out, p)
		}
	}
	return out
}

func TestGCDryRun(t *testing.T) {
	s := openStore(t)
	dead := chain(t, s, 3, "dead")
	s = reopen(t, s)
	garbage := filepath.Join(s.storeDir, ".tmp-123-abc")
	must(t, os.WriteFile(garbage, []byte("partial"), 0o644))
	res, err := s.GC(GCOptions{DryRun: true})
	must(t, err)
	if len(res.Dead) != 3 || len(res.Deleted) != 0 || res.BytesFreed == 0 {
		t.Errorf("dry run: dead %v deleted %v freed %d; want 3 dead, none deleted, bytes > 0", res.Dead, res.Deleted, res.BytesFreed)
	}
	for _, p := range dead {
		if ok, _ := s.IsValid(p); !ok {
			t.Errorf("dry run invalidated %s", p)
		}
	}
	if _, err := os.Stat(garbage); err != nil {
		t.Errorf("dry run removed garbage: %v", err)
	}
	res, err = s.GC(GCOptions{})
	must(t, err)
	if len(res.Deleted) != 3 || !reflect.DeepEqual(res.Garbage, []string{".tmp-123-abc"}) {
		t.Errorf("gc deleted %v and garbage %v", res.Deleted, res.Garbage)
	}
	if _, err := os.Stat(garbage); !os.IsNotExist(err) {
		t.Errorf("garbage not removed: %v", err)
	}
}

func TestGCBytesFreed(t *testing.T) {
	s := openStore(t)
	src := filepath.Join(t.TempDir(), "f")
	must(t, os.WriteFile(src, make([]byte, 10000), 0o644))
	if _, err := s.AddTree(src, "f", storepath.Flat, nil); err != nil {
		t.Fatal(err)
	}
	s = reopen(t, s)
	res, err := s.GC(GCOptions{})
	must(t, err)
	if res.BytesFreed != 10000 {
		t.Errorf("BytesFreed = %d, want 10000", res.BytesFreed)
	}
}

// TestGCKeepsTempRoots: paths this process added stay while its store is
// open, and go once it is closed.
func TestGCKeepsTempRoots(t *testing.T) {
	s := openStore(t)
	ps := chain(t, s, 2, "temp")
	s2, err := Open(s.Root()) // a second Store of the same root in this process
	must(t, err)
	defer s2.Close()
	if _, err := s2.GC(GCOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if ok, _ := s2.IsValid(p); !ok {
			t.Errorf("temp root %s collected while its adder is open", p)
		}
	}
	s.Close()
	s2.Close()
	s3, err := Open(s.Root())
	must(t, err)
	defer s3.Close()
	res, err := s3.GC(GCOptions{})
	must(t, err)
	if len(res.Deleted) != 2 {
		t.Errorf("after the adder closed, GC deleted %v, want both paths", res.Deleted)
	}
}

// TestGCConcurrentAdd runs GCs while another goroutine adds paths: no path
// whose add returned is ever collected.
func TestGCConcurrentAdd(t *testing.T) {
	adder := openStore(t)
	collector, err := Open(adder.Root())
	must(t, err)
	defer collector.Close()
	var mu sync.Mutex
	var added []storepath.Path
	done := make(chan error)
	go func() {
		for i := 0; i < 40; i++ {
			p, err := adder.AddText(fmt.Sprintf("c%d", i), []byte(fmt.Sprint("contents ", i)), nil)
			if err != nil {
				done <- err
				return
			}
			mu.Lock()
			added = append(added, p)
			mu.Unlock()
		}
		done <- nil
	}()
	for finished := false; !finished; {
		select {
		case err := <-done:
			must(t, err)
			finished = true
		default:
		}
		if _, err := collector.GC(GCOptions{}); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		snapshot := append([]storepath.Path(nil), added...)
		mu.Unlock()
		for _, p := range snapshot {
			if ok, _ := collector.IsValid(p); !ok {
				t.Fatalf("%s was collected while its adder is running", p)
			}
		}
	}
}

func TestVerify(t *testing.T) {
	s := openStore(t)
	info, err := s.AddTree(vectorTree(t), "srcdir", storepath.Recursive, nil)
	must(t, err)
	gone := chain(t, s, 1, "gone")[0]
	rep, err := s.Verify(true)
	if err != nil || !rep.OK() || rep.Checked != 2 {
		t.Fatalf("Verify of a good store: %+v, %v", rep, err)
	}
	// Corrupt one path, delete another, leave garbage and a stale temp.
	f := filepath.Join(s.RealPath(info.Path), "a.txt")
	must(t, os.Chmod(f, 0o644))
	must(t, os.WriteFile(f, []byte("ho\n"), 0o644))
	must(t, os.Remove(s.RealPath(gone)))
	must(t, os.Mkdir(filepath.Join(s.storeDir, ".tmp-1-x"), 0o755))
	must(t, os.WriteFile(filepath.Join(s.storeDir, "0c7h1j5sbl2wsx1r8vm0pvcvmgb8ja0d-orphan"), nil, 0o644))
	rep, err = s.Verify(false)
	must(t, err)
	if rep.OK() || !reflect.DeepEqual(rep.Missing, []storepath.Path{gone}) || len(rep.Corrupt) != 0 {
		t.Errorf("Verify(false) = %+v; want %s missing and no content check", rep, gone)
	}
	if !reflect.DeepEqual(rep.TempRemoved, []string{".tmp-1-x"}) || !reflect.DeepEqual(rep.Unregistered, []string{"0c7h1j5sbl2wsx1r8vm0pvcvmgb8ja0d-orphan"}) {
		t.Errorf("Verify: temp %v, unregistered %v", rep.TempRemoved, rep.Unregistered)
	}
	assertNoTemp(t, s)
	rep, err = s.Verify(true)
	must(t, err)
	if len(rep.Corrupt) != 1 || rep.Corrupt[0].Path != info.Path || rep.Corrupt[0].GotSize != info.NarSize {
		t.Errorf("Verify(true) corrupt = %v, want %s with a different hash", rep.Corrupt, info.Path)
	}
}
