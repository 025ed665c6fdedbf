package binarycache

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/narinfo"
	"github.com/frazil/frazil/store/signature"
	"github.com/frazil/frazil/store/storepath"
)

func openStore(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// addAll adds test paths (references first) to s.
func addAll(t testing.TB, s *store.Store, ps ...testPath) {
	t.Helper()
	for _, p := range ps {
		if err := s.AddNAR(toPathInfo(p.info), bytes.NewReader(p.nar)); err != nil {
			t.Fatalf("AddNAR(%s): %v", p.info.StorePath, err)
		}
	}
}

// closureFixture returns a small closure: a shared leaf, a middle path
// referring to it and to itself, and a top path referring to both.
func closureFixture(t testing.TB, tag string) []testPath {
	t.Helper()
	leaf := makeIAPath(t, "leaf-"+tag, "leaf contents "+tag)
	mid := makeIAPath(t, "mid-"+tag, "mid uses "+string(leaf.info.StorePath), leaf.info.StorePath)
	mid.info.References = append(mid.info.References, mid.info.StorePath) // self reference
	top := makeIAPath(t, "top-"+tag, "top uses "+string(mid.info.StorePath), mid.info.StorePath, leaf.info.StorePath)
	ca := makePath(t, "ca-"+tag, "content-addressed, uses "+string(leaf.info.StorePath), leaf.info.StorePath)
	return []testPath{leaf, mid, top, ca}
}

func checkStoreOK(t *testing.T, s *store.Store) {
	t.Helper()
	rep, err := s.Verify(true)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if !rep.OK() {
		t.Errorf("store is inconsistent: missing %v, corrupt %v, dangling %v", rep.Missing, rep.Corrupt, rep.Dangling)
	}
}

// TestCopyRoundTrip copies a closure to each kind of cache with each
// compression, signed, and back into an empty store.
func TestCopyRoundTrip(t *testing.T) {
	ctx := context.Background()
	sk, _ := signature.Generate("rt-1", nil)
	trust := Trust{Keys: signature.TrustedKeys{"rt-1": sk.Public()}}
	for kind, base := range cacheURLs(t) {
		for _, comp := range []string{XZ, Zstd, None} {
			t.Run(kind+"/"+comp, func(t *testing.T) {
				fx := closureFixture(t, kind+comp)
				src := openStore(t)
				addAll(t, src, fx...)
				c, err := Open(base + "?compression=" + comp)
				if err != nil {
					t.Fatal(err)
				}
				c.SetSecretKey(&sk)
				roots := []storepath.Path{fx[2].info.StorePath, fx[3].info.StorePath}
				up, err := CopyTo(ctx, src, c, roots, CopyOptions{})
				if err != nil || len(up) != 4 {
					t.Fatalf("CopyTo = %v, %v; want 4 paths", up, err)
				}
				if up, err := CopyTo(ctx, src, c, roots, CopyOptions{}); err != nil || len(up) != 0 {
					t.Errorf("second CopyTo = %v, %v; want nothing to do", up, err)
				}
				dst := openStore(t)
				var events []Progress
				got, err := CopyFrom(ctx, c, dst, roots, CopyOptions{Trust: trust, Progress: func(p Progress) { events = append(events, p) }})
				if err != nil || len(got) != 4 {
					t.Fatalf("CopyFrom = %v, %v; want 4 paths", got, err)
				}
				if len(events) != 8 || events[0].Path != fx[0].info.StorePath || events[7].Total != 4 || !events[7].Done {
					t.Errorf("progress events %+v, want start and end of 4 paths, leaf first", events)
				}
				for _, p := range fx {
					checkCopiedInfo(t, dst, p, "rt-1:")
				}
				checkStoreOK(t, dst)
				if again, err := CopyFrom(ctx, c, dst, roots, CopyOptions{Trust: trust}); err != nil || len(again) != 0 {
					t.Errorf("second CopyFrom = %v, %v; want nothing to do", again, err)
				}
			})
		}
	}
}

// checkCopiedInfo compares what dst recorded for p with p's metadata.
func checkCopiedInfo(t *testing.T, dst *store.Store, p testPath, sigPrefix string) {
	t.Helper()
	info, err := dst.QueryPathInfo(p.info.StorePath)
	if err != nil {
		t.Errorf("%s not copied: %v", p.info.StorePath, err)
		return
	}
	want := toNarInfo(toPathInfo(p.info))
	got := toNarInfo(info)
	got.Sigs, want.Sigs = nil, nil
	if got.String() != want.String() {
		t.Errorf("copied info:\n%s\nwant\n%s", got, want)
	}
	if sigPrefix != "" && (len(info.Signatures) == 0 || !strings.HasPrefix(info.Signatures[0], sigPrefix)) {
		t.Errorf("%s: signatures %v, want one by %s", p.info.StorePath, info.Signatures, sigPrefix)
	}
}

// fileCache writes fx to a file cache signed by sk and returns it.
func fileCache(t *testing.T, comp string, sk signature.SecretKey, fx ...testPath) (*Cache, string) {
	t.Helper()
	dir := t.TempDir()
	c, err := Open("file://" + dir + "?compression=" + comp)
	if err != nil {
		t.Fatal(err)
	}
	c.SetSecretKey(&sk)
	if err := c.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, p := range fx {
		if _, err := c.PutPath(context.Background(), p.info, bytes.NewReader(p.nar)); err != nil {
			t.Fatal(err)
		}
	}
	return c, dir
}

// editNarInfo rewrites p's narinfo in a file cache, re-signing it with sk
// unless sk is nil, so that only the edited field is wrong.
func editNarInfo(t *testing.T, dir string, p storepath.Path, sk *signature.SecretKey, edit func(*narinfo.NarInfo)) *narinfo.NarInfo {
	t.Helper()
	name := filepath.Join(dir, p.HashPart()+".narinfo")
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	ni, err := narinfo.Parse(data, name)
	if err != nil {
		t.Fatal(err)
	}
	edit(ni)
	if sk != nil {
		fp, _ := ni.Fingerprint()
		ni.Sigs = []string{sk.Sign(fp)}
	}
	if err := os.WriteFile(name, ni.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return ni
}

func editFile(t *testing.T, name string, edit func([]byte) []byte) {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, edit(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCopyFromRejects damages a cache in every way a download can go wrong
// and checks that the damaged path (and what refers to it) is rejected
// with an error naming it, registered nowhere, and the store stays
// consistent.
func TestCopyFromRejects(t *testing.T) {
	ctx := context.Background()
	sk, _ := signature.Generate("good-1", nil)
	evil, _ := signature.Generate("evil-1", nil)
	trust := Trust{Keys: signature.TrustedKeys{"good-1": sk.Public()}}
	type damage func(t *testing.T, dir string, victim testPath)
	narFile := func(t *testing.T, dir string, p testPath) string {
		ni, err := narinfo.Parse(must(os.ReadFile(filepath.Join(dir, p.info.StorePath.HashPart()+".narinfo"))), "x")
		if err != nil {
			t.Fatal(err)
		}
		return filepath.Join(dir, ni.URL)
	}
	tests := []struct {
		name, comp, want string
		damage           damage
	}{
		{"corrupt NAR (xz)", XZ, "xz", func(t *testing.T, dir string, p testPath) {
			editFile(t, narFile(t, dir, p), func(b []byte) []byte { b[len(b)/2] ^= 0xff; return b })
		}},
		{"corrupt NAR (none)", None, "NAR hash mismatch", func(t *testing.T, dir string, p testPath) {
			f := narFile(t, dir, p)
			editNarInfo(t, dir, p.info.StorePath, &sk, func(ni *narinfo.NarInfo) { ni.FileHash = narinfo.NarInfo{}.FileHash })
			editFile(t, f, func(b []byte) []byte { b[len(b)-20] ^= 0x01; return b })
		}},
		{"truncated NAR (zstd)", Zstd, "", func(t *testing.T, dir string, p testPath) {
			editFile(t, narFile(t, dir, p), func(b []byte) []byte { return b[:len(b)-10] })
		}},
		{"truncated NAR (none)", None, "", func(t *testing.T, dir string, p testPath) {
			editNarInfo(t, dir, p.info.StorePath, &sk, func(ni *narinfo.NarInfo) { ni.FileHash = narinfo.NarInfo{}.FileHash; ni.FileSize = 0 })
			editFile(t, narFile(t, dir, p), func(b []byte) []byte { return b[:len(b)-10] })
		}},
		{"missing NAR", XZ, "not found in binary cache", func(t *testing.T, dir string, p testPath) {
			os.Remove(narFile(t, dir, p))
		}},
		{"wrong NarHash", XZ, "NAR hash mismatch", func(t *testing.T, dir string, p testPath) {
			editNarInfo(t, dir, p.info.StorePath, &sk, func(ni *narinfo.NarInfo) { ni.NarHash = makePath(t, "x", "other").info.NarHash })
		}},
		{"wrong NarSize", XZ, "NAR size mismatch", func(t *testing.T, dir string, p testPath) {
			editNarInfo(t, dir, p.info.StorePath, &sk, func(ni *narinfo.NarInfo) { ni.NarSize += 8 })
		}},
		{"wrong FileHash", Zstd, "narinfo says FileHash", func(t *testing.T, dir string, p testPath) {
			editNarInfo(t, dir, p.info.StorePath, &sk, func(ni *narinfo.NarInfo) { ni.FileHash = ni.NarHash })
		}},
		{"wrong FileSize", XZ, "narinfo says FileSize", func(t *testing.T, dir string, p testPath) {
			editNarInfo(t, dir, p.info.StorePath, &sk, func(ni *narinfo.NarInfo) { ni.FileSize++ })
		}},
		{"missing signature", XZ, "lacks a valid signature: no signatures", func(t *testing.T, dir string, p testPath) {
			editNarInfo(t, dir, p.info.StorePath, nil, func(ni *narinfo.NarInfo) { ni.Sigs = nil })
		}},
		{"untrusted key", XZ, "'evil-1' is not a trusted key", func(t *testing.T, dir string, p testPath) {
			editNarInfo(t, dir, p.info.StorePath, &evil, func(*narinfo.NarInfo) {})
		}},
		{"wrong signature", XZ, "signature does not match", func(t *testing.T, dir string, p testPath) {
			editNarInfo(t, dir, p.info.StorePath, nil, func(ni *narinfo.NarInfo) { ni.References = nil })
		}},
		{"bad narinfo field", XZ, "is corrupt: invalid NarSize at line 7", func(t *testing.T, dir string, p testPath) {
			editFile(t, filepath.Join(dir, p.info.StorePath.HashPart()+".narinfo"), func(b []byte) []byte {
				return bytes.Replace(b, []byte("NarSize: "), []byte("NarSize: x"), 1)
			})
		}},
		{"narinfo of another path", XZ, "describes", func(t *testing.T, dir string, p testPath) {
			editNarInfo(t, dir, p.info.StorePath, &sk, func(ni *narinfo.NarInfo) { ni.StorePath = makeIAPath(t, "other", "o").info.StorePath })
		}},
		{"missing reference", XZ, "not found in binary cache", func(t *testing.T, dir string, p testPath) {
			os.Remove(filepath.Join(dir, p.info.StorePath.HashPart()+".narinfo"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fx := closureFixture(t, "rej")
			victim := fx[1] // mid: top depends on it, leaf does not
			c, dir := fileCache(t, tt.comp, sk, fx...)
			tt.damage(t, dir, victim)
			dst := openStore(t)
			_, err := CopyFrom(ctx, c, dst, []storepath.Path{fx[2].info.StorePath}, CopyOptions{Trust: trust})
			if err == nil {
				t.Fatal("CopyFrom succeeded, want error")
			}
			if !strings.Contains(err.Error(), string(victim.info.StorePath)) && !strings.Contains(err.Error(), victim.info.StorePath.HashPart()) {
				t.Errorf("error %q does not name %s", err, victim.info.StorePath)
			}
			if tt.want != "" && !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
			for _, p := range fx[1:3] {
				if ok, _ := dst.IsValid(p.info.StorePath); ok {
					t.Errorf("%s was registered", p.info.StorePath)
				}
			}
			checkStoreOK(t, dst)
			left, _ := filepath.Glob(filepath.Join(dst.Root(), "nix/store/*-mid-rej"))
			if len(left) != 0 {
				t.Errorf("store holds %v after a failed copy", left)
			}
		})
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

// TestCopyFromTruncatedDownload: an HTTP server that cuts a NAR short.
func TestCopyFromTruncatedDownload(t *testing.T) {
	sk, _ := signature.Generate("good-1", nil)
	fx := closureFixture(t, "trunc")
	for _, comp := range []string{None, XZ} {
		_, dir := fileCache(t, comp, sk, fx...)
		h, _ := NewHandler(HandlerOptions{Dir: dir})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/nar/") {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r)
				body := rec.Body.Bytes()
				w.Header().Set("Content-Length", strconv.Itoa(len(body)))
				w.Write(body[:len(body)*2/3])
				return // the server closes the connection short of Content-Length
			}
			h.ServeHTTP(w, r)
		}))
		c, _ := Open(srv.URL)
		dst := openStore(t)
		_, err := CopyFrom(context.Background(), c, dst, []storepath.Path{fx[0].info.StorePath},
			CopyOptions{Trust: Trust{Keys: signature.TrustedKeys{"good-1": sk.Public()}}})
		if err == nil || !strings.Contains(err.Error(), string(fx[0].info.StorePath)) || !strings.Contains(err.Error(), srv.URL) {
			t.Errorf("%s: truncated download: %v, want an error naming the path and URL", comp, err)
		}
		if ok, _ := dst.IsValid(fx[0].info.StorePath); ok {
			t.Errorf("%s: truncated path registered", comp)
		}
		checkStoreOK(t, dst)
		srv.Close()
	}
}
