package binarycache

// Differential tests against Nix 2.8 at the level of cache files: Nix reads
// caches and servers made here, and Cache reads caches Nix wrote.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/store/narinfo"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/signature"
	"github.com/frazil/frazil/store/storepath"
)

// runNix runs `nix` with nix-command enabled and a private HOME (so no
// narinfo disk cache survives between tests).
func runNix(t *testing.T, args ...string) (string, error) {
	t.Helper()
	testutil.RequireTool(t, "nix", "make setup")
	cmd := exec.Command("nix", append([]string{"--extra-experimental-features", "nix-command"}, args...)...)
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CACHE_HOME="+home, "NIX_CONFIG=")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), &nixError{args: args, err: err, stderr: stderr.String()}
	}
	return stdout.String(), nil
}

type nixError struct {
	args   []string
	err    error
	stderr string
}

func (e *nixError) Error() string {
	return "nix " + strings.Join(e.args, " ") + ": " + e.err.Error() + "\n" + e.stderr
}

func mustNix(t *testing.T, args ...string) string {
	t.Helper()
	out, err := runNix(t, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// nixPathInfo is the part of `nix path-info --json` compared here.
type nixPathInfo struct {
	Path       string   `json:"path"`
	NarHash    string   `json:"narHash"`
	NarSize    uint64   `json:"narSize"`
	References []string `json:"references"`
	Deriver    string   `json:"deriver"`
	CA         string   `json:"ca"`
	Signatures []string `json:"signatures"`
}

func pathInfos(t *testing.T, store string, paths ...storepath.Path) map[storepath.Path]nixPathInfo {
	t.Helper()
	args := []string{"--store", store, "path-info", "--json"}
	for _, p := range paths {
		args = append(args, string(p))
	}
	var infos []nixPathInfo
	if err := json.Unmarshal([]byte(mustNix(t, args...)), &infos); err != nil {
		t.Fatal(err)
	}
	m := map[storepath.Path]nixPathInfo{}
	for _, in := range infos {
		m[storepath.Path(in.Path)] = in
	}
	return m
}

// makeIAPath builds a path that is not content-addressed (like a
// derivation output), so that Nix insists on a signature for it.
func makeIAPath(t testing.TB, name, contents string, refs ...storepath.Path) testPath {
	t.Helper()
	tp := makePath(t, name, contents, refs...)
	drvHash := sha256.Sum256([]byte("drv of " + name + contents))
	p, err := storepath.MakeOutput("out", drvHash[:], name)
	if err != nil {
		t.Fatal(err)
	}
	tp.info.StorePath = p
	tp.info.CA = storepath.ContentAddress{}
	d, _ := storepath.MakeText(name+".drv", drvHash[:], nil)
	tp.info.Deriver = d
	return tp
}

// checkSameInfo compares Nix's view of paths with ours.
func checkSameInfo(t *testing.T, got map[storepath.Path]nixPathInfo, want ...testPath) {
	t.Helper()
	for _, w := range want {
		g, ok := got[w.info.StorePath]
		if !ok {
			t.Errorf("Nix lacks %s", w.info.StorePath)
			continue
		}
		h, err := nixhash.Parse(g.NarHash, 0)
		if err != nil || !h.Equal(w.info.NarHash) || g.NarSize != w.info.NarSize {
			t.Errorf("%s: Nix has NAR %s (%d bytes), want %s (%d bytes)", w.info.StorePath, g.NarHash, g.NarSize, w.info.NarHash.SRI(), w.info.NarSize)
		}
		var wantRefs []string
		for _, r := range w.info.References {
			wantRefs = append(wantRefs, string(r))
		}
		sort.Strings(wantRefs)
		if strings.Join(g.References, " ") != strings.Join(wantRefs, " ") {
			t.Errorf("%s: Nix has references %v, want %v", w.info.StorePath, g.References, wantRefs)
		}
		if g.Deriver != string(w.info.Deriver) || g.CA != w.info.CA.String() {
			t.Errorf("%s: Nix has deriver %q ca %q, want %q %q", w.info.StorePath, g.Deriver, g.CA, w.info.Deriver, w.info.CA)
		}
	}
}

// TestNixCopiesFromOurFileCache: caches written by PutPath (xz, zstd,
// none, signed) are read, verified and imported by `nix copy --from`, and
// `nix path-info` parses our narinfo files.
func TestNixCopiesFromOurFileCache(t *testing.T) {
	ctx := context.Background()
	sk, _ := signature.Generate("frazil-cache-1", nil)
	for _, comp := range []string{XZ, Zstd, None} {
		t.Run(comp, func(t *testing.T) {
			dir := t.TempDir()
			c, err := Open("file://" + dir + "?compression=" + comp)
			if err != nil {
				t.Fatal(err)
			}
			c.SetSecretKey(&sk)
			if err := c.Init(ctx); err != nil {
				t.Fatal(err)
			}
			dep := makeIAPath(t, "dep", "dependency "+comp)
			top := makeIAPath(t, "top", "uses "+string(dep.info.StorePath), dep.info.StorePath)
			ca := makePath(t, "ca", "content-addressed "+comp, dep.info.StorePath)
			for _, p := range []testPath{dep, top, ca} {
				if _, err := c.PutPath(ctx, p.info, bytes.NewReader(p.nar)); err != nil {
					t.Fatal(err)
				}
			}
			checkSameInfo(t, pathInfos(t, "file://"+dir, top.info.StorePath, dep.info.StorePath, ca.info.StorePath), top, dep, ca)
			st := filepath.Join(t.TempDir(), "st")
			mustNix(t, "--store", st, "copy", "--from", "file://"+dir,
				"--option", "trusted-public-keys", sk.Public().String(), string(top.info.StorePath), string(ca.info.StorePath))
			checkSameInfo(t, pathInfos(t, st, top.info.StorePath, dep.info.StorePath, ca.info.StorePath), top, dep, ca)
			mustNix(t, "--store", st, "store", "verify", "--no-trust", "--all")
		})
	}
}

// TestNixRejectsUnsignedFromOurCache: without the right key, Nix refuses
// our (input-addressed) paths — the signatures are what it checks.
func TestNixRejectsUnsignedFromOurCache(t *testing.T) {
	ctx := context.Background()
	sk, _ := signature.Generate("frazil-cache-1", nil)
	other, _ := signature.Generate("other-1", nil)
	dir := t.TempDir()
	c, _ := Open("file://" + dir)
	c.SetSecretKey(&sk)
	c.Init(ctx)
	p := makeIAPath(t, "signed", "x")
	if _, err := c.PutPath(ctx, p.info, bytes.NewReader(p.nar)); err != nil {
		t.Fatal(err)
	}
	st := filepath.Join(t.TempDir(), "st")
	_, err := runNix(t, "--store", st, "copy", "--from", "file://"+dir,
		"--option", "trusted-public-keys", other.Public().String(), string(p.info.StorePath))
	if err == nil || !strings.Contains(err.Error(), "lacks a valid signature") {
		t.Errorf("nix copy with an untrusted key: %v, want 'lacks a valid signature'", err)
	}
}

// TestNixCopiesFromOurServer: `nix copy --from http://127.0.0.1:PORT`
// fetches and verifies paths served by Handler (narinfo made and signed on
// the fly, NAR compressed as it is streamed).
func TestNixCopiesFromOurServer(t *testing.T) {
	sk, _ := signature.Generate("frazil-serve-1", nil)
	dep := makeIAPath(t, "dep", "served dependency")
	top := makeIAPath(t, "top", "served top uses "+string(dep.info.StorePath), dep.info.StorePath, dep.info.StorePath)
	top.info.References = []storepath.Path{dep.info.StorePath}
	for _, comp := range []string{None, XZ, Zstd} {
		t.Run(comp, func(t *testing.T) {
			h, err := NewHandler(HandlerOptions{Store: newMemSource(dep, top), SecretKey: &sk, Compression: comp})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			st := filepath.Join(t.TempDir(), "st")
			mustNix(t, "--store", st, "copy", "--from", srv.URL,
				"--option", "trusted-public-keys", sk.Public().String(), string(top.info.StorePath))
			checkSameInfo(t, pathInfos(t, st, top.info.StorePath, dep.info.StorePath), top, dep)
		})
	}
}

// TestNixUploadsToOurServer: `nix copy --to http://…` uploads through PUT
// into a directory cache served by Handler, and Cache reads it back.
func TestNixUploadsToOurServer(t *testing.T) {
	dir := t.TempDir()
	h, _ := NewHandler(HandlerOptions{Dir: dir, AllowUpload: true})
	srv := httptest.NewServer(h)
	defer srv.Close()
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "f"), []byte("uploaded by nix\n"), 0o644)
	st := filepath.Join(t.TempDir(), "st")
	p := storepath.Path(strings.TrimSpace(mustNix(t, "--store", st, "store", "add-path", src, "--name", "up")))
	mustNix(t, "--store", st, "copy", "--to", srv.URL+"?compression=zstd", string(p))
	c, _ := Open(srv.URL)
	ni, err := c.NarInfo(context.Background(), p)
	if err != nil {
		t.Fatalf("narinfo of Nix's upload: %v", err)
	}
	checkNAR(t, c, ni)
}

// checkNAR reads a path's NAR through Cache and checks it against the
// narinfo's NarHash and NarSize.
func checkNAR(t *testing.T, c *Cache, ni *narinfo.NarInfo) {
	t.Helper()
	rc, err := c.OpenNAR(context.Background(), ni)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		t.Fatalf("read NAR of %s: %v", ni.StorePath, err)
	}
	got := nixhash.Hash{Algo: nixhash.SHA256, Digest: h.Sum(nil)}
	if !got.Equal(ni.NarHash) || uint64(n) != ni.NarSize {
		t.Errorf("NAR of %s: %s (%d bytes), want %s (%d bytes)", ni.StorePath, got, n, ni.NarHash, ni.NarSize)
	}
}

// nixCache makes a Nix chroot store with a small closure (text files
// referring to each other), signs it with a key made by Nix, and copies it
// to a file cache with the given compression. It returns the cache
// directory, the public key and the top path.
func nixCache(t *testing.T, comp string) (dir, pub string, top storepath.Path) {
	t.Helper()
	tmp := t.TempDir()
	st := filepath.Join(tmp, "st")
	secret := mustNix(t, "key", "generate-secret", "--key-name", "nix-test-1")
	keyFile := filepath.Join(tmp, "sk")
	os.WriteFile(keyFile, []byte(secret), 0o600)
	cmd := exec.Command("nix-instantiate", "--store", st, "--read-write-mode", "--eval", "-E",
		`let a = builtins.toFile "a.txt" "hello a"; b = builtins.toFile "b.txt" "b uses ${a}"; in builtins.toFile "c.txt" "c uses ${b} and ${a}"`)
	cmd.Env = append(os.Environ(), "HOME="+tmp)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nix-instantiate: %v", err)
	}
	top = storepath.Path(strings.Trim(strings.TrimSpace(string(out)), `"`))
	mustNix(t, "--store", st, "store", "sign", "--key-file", keyFile, "--recursive", string(top))
	dir = filepath.Join(tmp, "cache")
	mustNix(t, "--store", st, "copy", "--to", "file://"+dir+"?compression="+comp, string(top))
	return dir, publicOf(t, secret), top
}

func publicOf(t *testing.T, secret string) string {
	t.Helper()
	sk, err := signature.ParseSecretKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	return sk.Public().String()
}

// TestWeReadNixCache: Cache reads caches written by `nix copy --to
// file://` with xz, zstd and no compression, the signatures made by `nix
// store sign` verify, and every NAR matches its narinfo.
func TestWeReadNixCache(t *testing.T) {
	ctx := context.Background()
	for _, comp := range []string{XZ, Zstd, None} {
		t.Run(comp, func(t *testing.T) {
			dir, pub, top := nixCache(t, comp)
			trusted, err := signature.ParseTrustedKeys(pub)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Open("file://" + dir)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Info(ctx); err != nil {
				t.Fatalf("Info: %v", err)
			}
			seen := map[storepath.Path]bool{}
			queue := []storepath.Path{top}
			for len(queue) > 0 {
				p := queue[0]
				queue = queue[1:]
				if seen[p] {
					continue
				}
				seen[p] = true
				ni, err := c.NarInfo(ctx, p)
				if err != nil {
					t.Fatal(err)
				}
				if ni.Compression != comp {
					t.Errorf("%s: Compression %q, want %q", p, ni.Compression, comp)
				}
				fp, _ := ni.Fingerprint()
				if _, err := trusted.Verify(fp, ni.Sigs); err != nil {
					t.Errorf("%s: %v", p, err)
				}
				checkNAR(t, c, ni)
				queue = append(queue, ni.References...)
			}
			if len(seen) != 3 {
				t.Errorf("closure of %s has %d paths, want 3", top, len(seen))
			}
		})
	}
}
