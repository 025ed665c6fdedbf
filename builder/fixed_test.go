package builder

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/ulikunitz/xz"

	"github.com/frazil/frazil/store/derivation"
	"github.com/frazil/frazil/store/nar"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// narHash returns the algo hash of the NAR of the tree at p.
func narHash(t *testing.T, algo nixhash.Algo, p string) nixhash.Hash {
	t.Helper()
	var buf bytes.Buffer
	if err := nar.DumpPath(&buf, p); err != nil {
		t.Fatal(err)
	}
	return nixhash.Sum(algo, buf.Bytes())
}

func fixedOut(algo string, h nixhash.Hash) *derivation.Output {
	return &derivation.Output{HashAlgo: algo, Hash: h.Hex()}
}

func TestFixedOutput(t *testing.T) {
	e := newTestEnv(t)
	dir := filepath.Join(t.TempDir(), "tree")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "f"), []byte("x"), 0o644)
	tests := []struct {
		name string
		args []string
		out  *derivation.Output
		ca   string
	}{
		{"flat", []string{"write", "$out", "hello\n"}, fixedOut("sha256", nixhash.Sum(nixhash.SHA256, []byte("hello\n"))), "fixed:sha256:"},
		{"flat-sha1", []string{"write", "$out", "hello\n"}, fixedOut("sha1", nixhash.Sum(nixhash.SHA1, []byte("hello\n"))), "fixed:sha1:"},
		{"rec", []string{"mkdir", "$out", "write", "$out/f", "x"}, fixedOut("r:sha256", narHash(t, nixhash.SHA256, dir)), "fixed:r:sha256:"},
		{"rec-sha512", []string{"mkdir", "$out", "write", "$out/f", "x"}, fixedOut("r:sha512", narHash(t, nixhash.SHA512, dir)), "fixed:r:sha512:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			drv := e.drv(spec{name: tt.name, args: tt.args, fixed: tt.out})
			if _, _, err := e.realise(Options{}, drv); err != nil {
				t.Fatal(err)
			}
			info, err := e.s.QueryPathInfo(e.out(drv))
			if err != nil {
				t.Fatal(err)
			}
			if got := info.CA.String(); !strings.HasPrefix(got, tt.ca) {
				t.Errorf("CA = %q, want %s…", got, tt.ca)
			}
			if want, _ := info.CA.Path(tt.name, nil, false); want != info.Path {
				t.Errorf("content address gives %s, output is %s", want, info.Path)
			}
		})
	}
}

func TestFixedOutputMismatch(t *testing.T) {
	e := newTestEnv(t)
	specified := nixhash.Sum(nixhash.SHA256, []byte("expected"))
	drv := e.drv(spec{name: "fod", args: []string{"write", "$out", "actual"}, fixed: fixedOut("sha256", specified)})
	_, _, err := e.realise(Options{}, drv)
	got := nixhash.Sum(nixhash.SHA256, []byte("actual"))
	want := fmt.Sprintf("hash mismatch in fixed-output derivation '%s':\n  specified: %s\n     got:    %s", drv, specified.SRI(), got.SRI())
	if err == nil || err.Error() != want {
		t.Errorf("Realise error =\n%v\nwant\n%s", err, want)
	}
	if ok, _ := e.s.IsValid(e.out(drv)); ok {
		t.Errorf("mismatching output registered")
	}
}

func TestFixedOutputRules(t *testing.T) {
	e := newTestEnv(t)
	refers := e.drv(spec{name: "refers", args: []string{"write", "$out", "uses $tb"}, env: map[string]string{"tb": string(e.tb)},
		fixed: fixedOut("sha256", nixhash.Sum(nixhash.SHA256, []byte("uses "+string(e.tb))))})
	if _, _, err := e.realise(Options{}, refers); err == nil || !strings.Contains(err.Error(), "is not allowed to refer to other store paths") {
		t.Errorf("FOD with a reference: error %v", err)
	}
	dirFlat := e.drv(spec{name: "dirflat", args: []string{"mkdir", "$out"}, fixed: fixedOut("sha256", nixhash.Sum(nixhash.SHA256, nil))})
	if _, _, err := e.realise(Options{}, dirFlat); err == nil || !strings.Contains(err.Error(), "should be a non-executable regular file") {
		t.Errorf("flat FOD producing a directory: error %v", err)
	}
}

// TestFixedOutputNetwork checks that fixed-output builds keep the host's
// network (others are cut off: TestSandboxIsolation).
func TestFixedOutputNetwork(t *testing.T) {
	e := newTestEnv(t)
	addr := listen(t)
	report := "probe-dial " + addr + ": ok\n"
	drv := e.drv(spec{name: "net", args: []string{"report", "$out", "probe-dial", addr}, fixed: fixedOut("sha256", nixhash.Sum(nixhash.SHA256, []byte(report)))})
	if _, _, err := e.realise(Options{}, drv); err != nil {
		t.Fatal(err)
	}
	plain := e.drv(spec{name: "nonet", args: []string{"mkdir", "$out", "report", "$out/r", "probe-dial", addr}})
	if _, _, err := e.realise(Options{}, plain); err != nil {
		t.Fatal(err)
	}
	if got := e.read(e.out(plain), "r"); got != "probe-dial "+addr+": error\n" {
		t.Errorf("input-addressed build reached the host network: %q", got)
	}
}

// TestSameFixedOutput builds two recipes for one fixed output at once:
// one builds it, the other finds it valid.
func TestSameFixedOutput(t *testing.T) {
	e := newTestEnv(t)
	h := fixedOut("sha256", nixhash.Sum(nixhash.SHA256, []byte("same")))
	a := e.drv(spec{name: "same", args: []string{"sleep", "0.3", "write", "$out", "same"}, fixed: h, env: map[string]string{"recipe": "a"}})
	b := e.drv(spec{name: "same", args: []string{"sleep", "0.3", "write", "$out", "same"}, fixed: h, env: map[string]string{"recipe": "b"}})
	if a == b || e.out(a) != e.out(b) {
		t.Fatalf("test premise: two drvs %s %s with one output", a, b)
	}
	if _, _, err := e.realise(Options{Jobs: 2}, a, b); err != nil {
		t.Fatal(err)
	}
	if got := e.read(e.out(a), ""); got != "same" {
		t.Errorf("output = %q", got)
	}
}

// fetchEnv makes a builtin:fetchurl derivation.
func fetchSpec(name, url string, out *derivation.Output, extra map[string]string) spec {
	env := map[string]string{"url": url}
	for k, v := range extra {
		env[k] = v
	}
	return spec{name: name, builder: "builtin:fetchurl", system: "builtin", env: env, fixed: out}
}

func TestFetchurl(t *testing.T) {
	e := newTestEnv(t)
	payload := []byte("downloaded bytes\n")
	tree := filepath.Join(t.TempDir(), "tree")
	os.MkdirAll(filepath.Join(tree, "bin"), 0o755)
	os.WriteFile(filepath.Join(tree, "bin/run"), []byte("#!x"), 0o755)
	var narBuf, xzBuf bytes.Buffer
	nar.DumpPath(&narBuf, tree)
	zw, _ := xz.NewWriter(&xzBuf)
	zw.Write(narBuf.Bytes())
	zw.Close()
	files := map[string][]byte{"/file": payload, "/tree.nar": narBuf.Bytes(), "/tree.nar.xz": xzBuf.Bytes()}
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		b, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(b)
	}))
	defer srv.Close()
	local := filepath.Join(t.TempDir(), "local")
	os.WriteFile(local, payload, 0o644)

	flat := fixedOut("sha256", nixhash.Sum(nixhash.SHA256, payload))
	treeHash := fixedOut("r:sha256", narHash(t, nixhash.SHA256, tree))
	execFile := filepath.Join(t.TempDir(), "x")
	os.WriteFile(execFile, payload, 0o755)
	tests := []struct {
		name  string
		sp    spec
		check func(p storepath.Path) error
	}{
		{"http", fetchSpec("http", srv.URL+"/file", flat, nil), fileIs(e, payload, 0o444)},
		{"file", fetchSpec("local", "file://"+local, flat, nil), fileIs(e, payload, 0o444)},
		{"executable", fetchSpec("exe", srv.URL+"/file", fixedOut("r:sha256", narHash(t, nixhash.SHA256, execFile)), map[string]string{"executable": "1"}), fileIs(e, payload, 0o555)},
		{"unpack", fetchSpec("tree", srv.URL+"/tree.nar", treeHash, map[string]string{"unpack": "1"}), treeIs(e, tree)},
		{"unpack-xz", fetchSpec("treexz", srv.URL+"/tree.nar.xz", treeHash, map[string]string{"unpack": "1"}), treeIs(e, tree)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			drv := e.drv(tt.sp)
			if _, _, err := e.realise(Options{}, drv); err != nil {
				t.Fatal(err)
			}
			if err := tt.check(e.out(drv)); err != nil {
				t.Error(err)
			}
		})
	}

	t.Run("errors", func(t *testing.T) {
		for _, tt := range []struct {
			sp   spec
			want string
		}{
			{fetchSpec("missing", srv.URL+"/none", flat, nil), "unable to download '" + srv.URL + "/none': HTTP error 404"},
			{fetchSpec("wrong", srv.URL+"/file", fixedOut("sha256", nixhash.Sum(nixhash.SHA256, []byte("other"))), nil), "hash mismatch in fixed-output derivation"},
			{fetchSpec("gopher", "gopher://x/y", flat, nil), "unsupported URL scheme"},
		} {
			drv := e.drv(tt.sp)
			_, _, err := e.realise(Options{}, drv)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: error %v, want %q", tt.sp.name, err, tt.want)
			}
		}
	})

	t.Run("preseeded", func(t *testing.T) {
		src := filepath.Join(t.TempDir(), "seeded")
		os.WriteFile(src, payload, 0o644)
		info, err := e.s.AddFixed(src, "seeded", storepath.Flat, nixhash.SHA256)
		if err != nil {
			t.Fatal(err)
		}
		drv := e.drv(fetchSpec("seeded", srv.URL+"/none", flat, nil))
		if e.out(drv) != info.Path {
			t.Fatalf("pre-seeded path %s differs from the fetch output %s", info.Path, e.out(drv))
		}
		before := hits.Load()
		_, rec, err := e.realise(Options{}, drv)
		if err != nil || rec.count(BuildStarted) != 0 || hits.Load() != before {
			t.Errorf("Realise of a pre-seeded fetch: %v, %d builds, %d requests", err, rec.count(BuildStarted), hits.Load()-before)
		}
	})
}

func fileIs(e *testEnv, want []byte, mode os.FileMode) func(storepath.Path) error {
	return func(p storepath.Path) error {
		fi, err := os.Lstat(e.s.RealPath(p))
		if err != nil {
			return err
		}
		got, _ := os.ReadFile(e.s.RealPath(p))
		if !bytes.Equal(got, want) || fi.Mode() != mode {
			return fmt.Errorf("%s: %q mode %v, want %q mode %v", p, got, fi.Mode(), want, mode)
		}
		return nil
	}
}

func treeIs(e *testEnv, tree string) func(storepath.Path) error {
	return func(p storepath.Path) error {
		b, err := os.ReadFile(filepath.Join(e.s.RealPath(p), "bin/run"))
		if err != nil || string(b) != "#!x" {
			return errors.Join(err, fmt.Errorf("%s/bin/run = %q", p, b))
		}
		return nil
	}
}
