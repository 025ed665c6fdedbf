package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/frazil/frazil/store/nar"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// openStore opens a fresh store in a temporary directory.
func openStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "root"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// reopen closes s, which drops this process's temp roots, and opens its
// root again.
func reopen(t testing.TB, s *Store) *Store {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(s.Root())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s2.Close() })
	return s2
}

// vectorTree writes the tree of NIXOS.md Appendix A.6 and returns its path.
func vectorTree(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "srcdir")
	must(t, os.MkdirAll(filepath.Join(dir, "sub"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hi\n"), 0o644))
	must(t, os.Symlink("a.txt", filepath.Join(dir, "link")))
	must(t, os.WriteFile(filepath.Join(dir, "sub/run"), []byte("#!/bin/sh\n"), 0o755))
	return dir
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestOpenLayout(t *testing.T) {
	s := openStore(t)
	for _, d := range []string{"nix/store", "nix/var/nix/db/frazil.db", "nix/var/nix/gc.lock", "nix/var/nix/gcroots/auto",
		"nix/var/nix/profiles", "nix/var/nix/temproots"} {
		if _, err := os.Stat(filepath.Join(s.Root(), d)); err != nil {
			t.Errorf("layout: %v", err)
		}
	}
	if got, want := s.RealPath("/nix/store/x"), filepath.Join(s.Root(), "nix/store/x"); got != want {
		t.Errorf("RealPath = %q, want %q", got, want)
	}
}

// TestAddVectors checks the paths and infos Nix 2.8 gives (NIXOS.md
// Appendix A.2 and A.6).
func TestAddVectors(t *testing.T) {
	s := openStore(t)
	p, err := s.AddText("hello.txt", []byte("Hello, world!\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := storepath.Path("/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr6-hello.txt"); p != want {
		t.Errorf("AddText = %s, want %s", p, want)
	}
	info, err := s.QueryPathInfo(p)
	if err != nil {
		t.Fatal(err)
	}
	if info.NarSize != 128 || info.NarHash.SRI() != "sha256-WEk3mouMv8QTHQwPia0CDqJw2F8WHiV7fVITW1gzfs4=" ||
		info.CA.String() != "text:sha256:1x9gyyamm7d9p2hm06hx9vx6gm4sd1mksxqlqfxaajl44i34q0fr" {
		t.Errorf("text info = size %d, hash %s, ca %s", info.NarSize, info.NarHash.SRI(), info.CA)
	}

	tinfo, err := s.AddTree(vectorTree(t), "srcdir", storepath.Recursive, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tinfo.Path != "/nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir" || tinfo.NarSize != 880 ||
		tinfo.CA.String() != "fixed:r:sha256:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k" {
		t.Errorf("AddTree = %s size %d ca %s", tinfo.Path, tinfo.NarSize, tinfo.CA)
	}
	got, err := s.QueryPathInfo(tinfo.Path)
	if err != nil {
		t.Fatal(err)
	}
	if !got.NarHash.Equal(tinfo.NarHash) || got.RegistrationTime.Unix() != tinfo.RegistrationTime.Unix() {
		t.Errorf("QueryPathInfo = %+v, want %+v", got, tinfo)
	}
}

func TestAddCanonical(t *testing.T) {
	s := openStore(t)
	src := vectorTree(t)
	must(t, os.Chmod(filepath.Join(src, "a.txt"), 0o4755&^0o111|0o4000)) // setuid, not executable
	info, err := s.AddTree(src, "srcdir", storepath.Recursive, nil)
	if err != nil {
		t.Fatal(err)
	}
	root := s.RealPath(info.Path)
	tests := []struct {
		rel  string
		mode os.FileMode
	}{{"", os.ModeDir | 0o555}, {"a.txt", 0o444}, {"sub", os.ModeDir | 0o555}, {"sub/run", 0o555}}
	for _, tt := range tests {
		fi, err := os.Lstat(filepath.Join(root, tt.rel))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != tt.mode {
			t.Errorf("%s: mode %v, want %v", tt.rel, fi.Mode(), tt.mode)
		}
		if fi.ModTime().Unix() != 1 {
			t.Errorf("%s: mtime %v, want 1", tt.rel, fi.ModTime())
		}
	}
	if fi, err := os.Lstat(filepath.Join(root, "link")); err != nil || fi.ModTime().Unix() != 1 {
		t.Errorf("link mtime: %v %v, want 1", fi.ModTime(), err)
	}
}

func TestAddIdempotent(t *testing.T) {
	s := openStore(t)
	src := vectorTree(t)
	a, err := s.AddTree(src, "srcdir", storepath.Recursive, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.AddTree(src, "srcdir", storepath.Recursive, nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Path != b.Path {
		t.Errorf("second add gave %s, want %s", b.Path, a.Path)
	}
	assertNoTemp(t, s)
}

// assertNoTemp fails if a .tmp-* entry is left in the store directory.
func assertNoTemp(t testing.TB, s *Store) {
	t.Helper()
	ents, err := os.ReadDir(s.storeDir)
	must(t, err)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			t.Errorf("temporary entry %s left in the store", e.Name())
		}
	}
}

func TestAddFlat(t *testing.T) {
	s := openStore(t)
	f := filepath.Join(t.TempDir(), "f")
	must(t, os.WriteFile(f, []byte("flat contents"), 0o755))
	info, err := s.AddTree(f, "f", storepath.Flat, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := nixhash.Sum(nixhash.SHA256, []byte("flat contents"))
	if !info.CA.Hash.Equal(want) || info.CA.Method != storepath.Flat {
		t.Errorf("ca = %s, want fixed:%s", info.CA, want)
	}
	fi, err := os.Lstat(s.RealPath(info.Path))
	if err != nil || fi.Mode() != 0o555 {
		t.Errorf("flat file mode %v (%v), want 0555 (executable kept, as Nix does)", fi.Mode(), err)
	}
	if _, err := s.AddTree(t.TempDir(), "d", storepath.Flat, nil); err == nil || !strings.Contains(err.Error(), "regular file") {
		t.Errorf("flat add of a directory: got %v, want a regular file error", err)
	}
	sha1, err := s.AddFixed(f, "f", storepath.Flat, nixhash.SHA1)
	if err != nil {
		t.Fatal(err)
	}
	if sha1.Path == info.Path || sha1.CA.Hash.Algo != nixhash.SHA1 {
		t.Errorf("sha1 add: %s ca %s", sha1.Path, sha1.CA)
	}
	assertNoTemp(t, s)
}

func narOf(t testing.TB, p string) []byte {
	t.Helper()
	var b bytes.Buffer
	must(t, nar.DumpPath(&b, p))
	return b.Bytes()
}

// narInfo returns the info AddNAR needs for a NAR of a tree named name.
func narInfo(name string, data []byte, refs ...storepath.Path) *PathInfo {
	h := nixhash.Sum(nixhash.SHA256, data)
	p, _ := storepath.MakeFixedOutput(storepath.Recursive, h, name, refs, false)
	return &PathInfo{Path: p, NarHash: h, NarSize: uint64(len(data)), References: refs}
}

func TestAddNAR(t *testing.T) {
	s := openStore(t)
	data := narOf(t, vectorTree(t))
	info := narInfo("srcdir", data)
	if err := s.AddNAR(info, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if got := narOf(t, s.RealPath(info.Path)); !bytes.Equal(got, data) {
		t.Error("restored path dumps to a different NAR")
	}
	if err := s.AddNAR(info, bytes.NewReader(nil)); err != nil {
		t.Errorf("AddNAR of a valid path: %v", err)
	}
}

func TestAddNARRejects(t *testing.T) {
	data := narOf(t, vectorTree(t))
	good := narInfo("srcdir", data)
	flipped := append([]byte{}, data...)
	flipped[len(flipped)-100] ^= 1
	wrongSize := *good
	wrongSize.NarSize++
	wrongHash := *good
	wrongHash.NarHash = nixhash.Sum(nixhash.SHA256, []byte("x"))
	missingRef := narInfo("srcdir", data, "/nix/store/00000000000000000000000000000000-missing")
	tests := []struct {
		name string
		info *PathInfo
		nar  []byte
		want string
	}{
		{"truncated", good, data[:len(data)-9], "truncated"},
		{"corrupt", good, flipped, "nar: "},
		{"trailing", good, append(append([]byte{}, data...), 1), "trailing data"},
		{"hash mismatch", &wrongHash, data, "NAR hash mismatch"},
		{"size mismatch", &wrongSize, data, "NAR size mismatch"},
		{"missing reference", missingRef, data, "not valid"},
		{"bad hash algo", &PathInfo{Path: good.Path, NarHash: nixhash.Sum(nixhash.SHA1, data)}, data, "must be sha256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t)
			err := s.AddNAR(tt.info, bytes.NewReader(tt.nar))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if ok, _ := s.IsValid(tt.info.Path); ok {
				t.Error("path registered after a failed add")
			}
			if _, err := os.Lstat(s.RealPath(tt.info.Path)); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("final path exists after a failed add: %v", err)
			}
			assertNoTemp(t, s)
		})
	}
}

// chain registers n text paths, each referring to the one before.
func chain(t testing.TB, s *Store, n int, prefix string) []storepath.Path {
	t.Helper()
	var ps []storepath.Path
	for i := 0; i < n; i++ {
		var refs []storepath.Path
		contents := prefix + string(rune('a'+i))
		if i > 0 {
			refs = []storepath.Path{ps[i-1]}
			contents += " " + string(ps[i-1])
		}
		p, err := s.AddText(prefix+"-"+string(rune('a'+i)), []byte(contents), refs)
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

func TestQueries(t *testing.T) {
	s := openStore(t)
	ps := chain(t, s, 4, "q") // q-d -> q-c -> q-b -> q-a
	refs, err := s.References(ps[2])
	if err != nil || !reflect.DeepEqual(refs, []storepath.Path{ps[1]}) {
		t.Errorf("References(%s) = %v, %v; want [%s]", ps[2], refs, err, ps[1])
	}
	rfs, err := s.Referrers(ps[1])
	if err != nil || !reflect.DeepEqual(rfs, []storepath.Path{ps[2]}) {
		t.Errorf("Referrers(%s) = %v, %v; want [%s]", ps[1], rfs, err, ps[2])
	}
	cl, err := s.Closure([]storepath.Path{ps[2]})
	want := []storepath.Path{ps[0], ps[1], ps[2]}
	sortPaths(want)
	if err != nil || !reflect.DeepEqual(cl, want) {
		t.Errorf("Closure = %v, %v; want %v", cl, err, want)
	}
	topo, err := s.TopoSort([]storepath.Path{ps[3], ps[1], ps[0], ps[2]})
	if err != nil || !reflect.DeepEqual(topo, ps) {
		t.Errorf("TopoSort = %v, %v; want %v", topo, err, ps)
	}
	if p, err := s.QueryPathFromHashPart(ps[1].HashPart()); err != nil || p != ps[1] {
		t.Errorf("QueryPathFromHashPart = %s, %v; want %s", p, err, ps[1])
	}
	bogus := storepath.Path("/nix/store/00000000000000000000000000000000-x")
	for name, f := range map[string]func() error{
		"QueryPathInfo":         func() error { _, err := s.QueryPathInfo(bogus); return err },
		"References":            func() error { _, err := s.References(bogus); return err },
		"Closure":               func() error { _, err := s.Closure([]storepath.Path{bogus}); return err },
		"QueryPathFromHashPart": func() error { _, err := s.QueryPathFromHashPart(bogus.HashPart()); return err },
	} {
		if err := f(); !errors.Is(err, ErrNotValid) {
			t.Errorf("%s(invalid) = %v, want ErrNotValid", name, err)
		}
	}
	all, err := s.AllValid()
	if err != nil || len(all) != 4 {
		t.Errorf("AllValid = %v, %v; want 4 paths", all, err)
	}
}

func TestRegister(t *testing.T) {
	s := openStore(t)
	dep := filepath.Join(s.storeDir, "0c7h1j5sbl2wsx1r8vm0pvcvmgb8ja0d-dep")
	out := filepath.Join(s.storeDir, "1c7h1j5sbl2wsx1r8vm0pvcvmgb8ja0d-out")
	must(t, os.WriteFile(dep, []byte("dep"), 0o444))
	must(t, os.WriteFile(out, []byte("out refers to "+dep), 0o444))
	mk := func(p string, refs ...storepath.Path) *PathInfo {
		sp := storepath.Path(storepath.Dir + "/" + filepath.Base(p))
		data := narOf(t, p)
		return &PathInfo{Path: sp, NarHash: nixhash.Sum(nixhash.SHA256, data), NarSize: uint64(len(data)),
			References: refs, Ultimate: true, Deriver: "/nix/store/2c7h1j5sbl2wsx1r8vm0pvcvmgb8ja0d-x.drv"}
	}
	depInfo := mk(dep)
	outInfo := mk(out, depInfo.Path, "/nix/store/1c7h1j5sbl2wsx1r8vm0pvcvmgb8ja0d-out")
	if err := s.Register([]*PathInfo{outInfo}); err == nil || !errors.Is(err, ErrNotValid) {
		t.Errorf("Register without its reference: got %v, want ErrNotValid", err)
	}
	if err := s.Register([]*PathInfo{outInfo, depInfo}); err != nil {
		t.Fatal(err)
	}
	got, err := s.QueryPathInfo(outInfo.Path)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Ultimate || got.Deriver != outInfo.Deriver || len(got.References) != 2 {
		t.Errorf("registered info = %+v", got)
	}
	rep, err := s.Verify(true)
	if err != nil || !rep.OK() {
		t.Errorf("Verify after Register: %+v, %v", rep, err)
	}
	missing := &PathInfo{Path: "/nix/store/3c7h1j5sbl2wsx1r8vm0pvcvmgb8ja0d-nothere", NarHash: depInfo.NarHash}
	if err := s.Register([]*PathInfo{missing}); err == nil {
		t.Error("Register of a path not on disk succeeded")
	}
}

func TestSignaturesAndOutputs(t *testing.T) {
	s := openStore(t)
	p, err := s.AddText("x.drv", []byte("Derive()"), nil)
	must(t, err)
	must(t, s.AddSignatures(p, []string{"k1:aaa", "k2:bbb"}))
	must(t, s.AddSignatures(p, []string{"k2:bbb", "k3:ccc"}))
	info, err := s.QueryPathInfo(p)
	must(t, err)
	if want := []string{"k1:aaa", "k2:bbb", "k3:ccc"}; !reflect.DeepEqual(info.Signatures, want) {
		t.Errorf("Signatures = %v, want %v", info.Signatures, want)
	}
	outs := map[string]storepath.Path{"out": "/nix/store/090857ifslkx7lk3j672kd32sqdja2iy-x", "dev": "/nix/store/lapimzc5hnxm3l48jkc4rsa24bwlgpc0-x-dev"}
	must(t, s.SetDerivationOutputs(p, outs))
	got, err := s.DerivationOutputs(p)
	if err != nil || !reflect.DeepEqual(got, outs) {
		t.Errorf("DerivationOutputs = %v, %v; want %v", got, err, outs)
	}
	if err := s.SetDerivationOutputs("/nix/store/00000000000000000000000000000000-y.drv", outs); !errors.Is(err, ErrNotValid) {
		t.Errorf("SetDerivationOutputs of an invalid drv: %v", err)
	}
}

func TestPathInfoJSON(t *testing.T) {
	info := &PathInfo{
		Path:             "/nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir",
		NarHash:          nixhash.Hash{Algo: nixhash.SHA256, Digest: bytes.Repeat([]byte{1}, 32)},
		NarSize:          880,
		RegistrationTime: time.Unix(1700000000, 0),
	}
	j := info.JSON()
	if j.NarHash != "sha256-AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=" || j.References == nil || j.RegistrationTime != 1700000000 {
		t.Errorf("JSON() = %+v", j)
	}
}
