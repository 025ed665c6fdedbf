package builder

import (
	"archive/zip"
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/frazil/frazil/store/nixhash"
)

func TestFirstProxy(t *testing.T) {
	for _, tt := range []struct{ list, want, err string }{
		{"https://a.example,direct", "https://a.example", ""},
		{"direct,https://b.example|https://c.example", "https://b.example", ""},
		{" file:///srv/proxy ", "file:///srv/proxy", ""},
		{"direct", "", "names no proxy"},
		{"", "", "names no proxy"},
		{"off", "", "is off"},
	} {
		got, err := firstProxy(tt.list)
		if got != tt.want || (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("firstProxy(%q) = %q, %v; want %q, error containing %q", tt.list, got, err, tt.want, tt.err)
		}
	}
}

func TestResolveURL(t *testing.T) {
	t.Setenv("GOPROXY", "direct,https://proxy.test/base/")
	for in, want := range map[string]string{
		"goproxy://golang.org/toolchain/@v/x.zip": "https://proxy.test/base/golang.org/toolchain/@v/x.zip",
		"https://other.test/f":                    "https://other.test/f",
	} {
		if got, err := resolveURL(in); err != nil || got != want {
			t.Errorf("resolveURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	t.Setenv("GOPROXY", "off")
	if _, err := resolveURL("goproxy://m/@v/list"); err == nil {
		t.Error("resolveURL with GOPROXY=off succeeded")
	}
}

func TestParseGoSum(t *testing.T) {
	sum := "github.com/A/b v1.0.0 h1:x=\ngithub.com/A/b v1.0.0/go.mod h1:y=\n\nexample.com/c v0.1.0/go.mod h1:z=\ngithub.com/A/b v1.0.0 h1:x=\n"
	got, err := parseGoSum(sum)
	if err != nil {
		t.Fatal(err)
	}
	want := []goModFile{{"example.com/c", "v0.1.0", ".mod"}, {"github.com/A/b", "v1.0.0", ".mod"}, {"github.com/A/b", "v1.0.0", ".zip"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseGoSum = %v, want %v", got, want)
	}
	if name, _ := got[2].name(); name != "github.com/!a/b/@v/v1.0.0.zip" {
		t.Errorf("name = %q, want the escaped proxy path", name)
	}
	for _, bad := range []string{"m v1 h1:x extra", "m v1 md5:x", "m ../v1 h1:x", "../m v1 h1:x", `m\x v1 h1:x`} {
		if _, err := parseGoSum(bad); err == nil {
			t.Errorf("parseGoSum(%q) succeeded", bad)
		}
	}
}

func FuzzParseGoSum(f *testing.F) {
	f.Add("github.com/A/b v1.0.0 h1:x=\ngithub.com/A/b v1.0.0/go.mod h1:y=\n")
	f.Fuzz(func(t *testing.T, s string) {
		files, err := parseGoSum(s)
		if err != nil {
			return
		}
		for _, f := range files {
			name, err := f.name()
			if err != nil {
				continue
			}
			if !filepath.IsLocal(name) || filepath.Clean(name) != name {
				t.Errorf("go.sum %q gives the file name %q", s, name)
			}
		}
	})
}

// makeZip returns a zip of files (name -> contents; a trailing / makes a
// directory), each with mode.
func makeZip(t *testing.T, files map[string]string, mode os.FileMode) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedKeys(files) {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(mode)
		if strings.HasSuffix(name, "/") {
			h.SetMode(os.ModeDir | 0o755)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[name]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestUnzipper(t *testing.T) {
	for _, tt := range []struct {
		name   string
		files  map[string]string
		prefix string
		want   map[string]os.FileMode // relative path -> mode (0 for a directory)
		err    string
	}{
		{"strip and exec", map[string]string{"p@v1/": "", "p@v1/bin/go": "g", "p@v1/pkg/tool/linux_amd64/vet": "v", "p@v1/README": "r"}, "p@v1",
			map[string]os.FileMode{"bin/go": 0o755, "pkg/tool/linux_amd64/vet": 0o755, "README": 0o644}, ""},
		{"outside the prefix", map[string]string{"p@v1/a": "", "q/b": ""}, "p@v1", nil, `"q/b" is not under`},
		{"escape", map[string]string{"../x": ""}, "", nil, "outside the archive"},
		{"absolute", map[string]string{"/etc/x": ""}, "", nil, "outside the archive"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			zf := filepath.Join(t.TempDir(), "a.zip")
			os.WriteFile(zf, makeZip(t, tt.files, 0o644), 0o644)
			dst := filepath.Join(t.TempDir(), "out")
			u := unzipper{prefix: tt.prefix, executable: []string{"bin/*", "pkg/tool/*/*"}}
			err := u.unpack(zf, dst)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("unpack: %v, want an error containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for rel, mode := range tt.want {
				fi, err := os.Stat(filepath.Join(dst, rel))
				if err != nil || fi.Mode().Perm() != mode {
					t.Errorf("%s: %v mode %v, want mode %v", rel, err, fi.Mode().Perm(), mode)
				}
			}
		})
	}
}

func TestUnzipperRejectsSymlinks(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	h := &zip.FileHeader{Name: "link"}
	h.SetMode(os.ModeSymlink | 0o777)
	w, _ := zw.CreateHeader(h)
	w.Write([]byte("/etc"))
	zw.Close()
	zf := filepath.Join(t.TempDir(), "a.zip")
	os.WriteFile(zf, buf.Bytes(), 0o644)
	u := unzipper{}
	if err := u.unpack(zf, filepath.Join(t.TempDir(), "out")); err == nil || !strings.Contains(err.Error(), "unsupported file type") {
		t.Errorf("unpack of a symlink entry: %v, want unsupported file type", err)
	}
}

// proxyServer serves files by URL path and counts requests.
func proxyServer(t *testing.T, files map[string][]byte) (*httptest.Server, *atomic.Int32) {
	t.Helper()
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
	t.Cleanup(srv.Close)
	return srv, &hits
}

func TestFetchzip(t *testing.T) {
	e := newTestEnv(t)
	zipData := makeZip(t, map[string]string{"golang.org/toolchain@v0.0.1-go1.x.linux-amd64/bin/go": "#!go", "golang.org/toolchain@v0.0.1-go1.x.linux-amd64/VERSION": "go1.x"}, 0o644)
	srv, _ := proxyServer(t, map[string][]byte{"/golang.org/toolchain/@v/v0.0.1-go1.x.linux-amd64.zip": zipData})
	t.Setenv("GOPROXY", srv.URL+",direct")
	want := filepath.Join(t.TempDir(), "want")
	os.MkdirAll(filepath.Join(want, "bin"), 0o755)
	os.WriteFile(filepath.Join(want, "bin/go"), []byte("#!go"), 0o755)
	os.WriteFile(filepath.Join(want, "VERSION"), []byte("go1.x"), 0o644)
	env := map[string]string{
		"url":         "goproxy://golang.org/toolchain/@v/v0.0.1-go1.x.linux-amd64.zip",
		"stripPrefix": "golang.org/toolchain@v0.0.1-go1.x.linux-amd64",
		"executable":  "bin/* pkg/tool/*/*",
	}
	drv := e.drv(spec{name: "go", builder: "builtin:frazil-fetchzip", system: "builtin", env: env,
		fixed: fixedOut("r:sha256", narHash(t, nixhash.SHA256, want))})
	if _, _, err := e.realise(Options{}, drv); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Join(e.s.RealPath(e.out(drv)), "bin/go"))
	if err != nil || fi.Mode().Perm() != 0o555 {
		t.Errorf("bin/go: %v, mode %v; want an executable", err, fi.Mode())
	}
	// Not fixed-output: refused.
	bad := e.drv(spec{name: "notfixed", builder: "builtin:frazil-fetchzip", system: "builtin", env: env})
	if _, _, err := e.realise(Options{}, bad); err == nil || !strings.Contains(err.Error(), "must be a fixed-output derivation") {
		t.Errorf("input-addressed fetchzip: %v", err)
	}
}

func TestGomodproxy(t *testing.T) {
	e := newTestEnv(t)
	files := map[string][]byte{
		"/example.com/!m/@v/v1.0.0.mod":  []byte("module example.com/M\n"),
		"/example.com/!m/@v/v1.0.0.zip":  []byte("zip bytes"),
		"/example.com/dep/@v/v0.2.0.mod": []byte("module example.com/dep\n"),
	}
	srv, hits := proxyServer(t, files)
	t.Setenv("GOPROXY", srv.URL)
	want := filepath.Join(t.TempDir(), "want")
	for name, b := range files {
		os.MkdirAll(filepath.Dir(filepath.Join(want, name)), 0o755)
		os.WriteFile(filepath.Join(want, name), b, 0o644)
	}
	goSum := "example.com/M v1.0.0 h1:a=\nexample.com/M v1.0.0/go.mod h1:b=\nexample.com/dep v0.2.0/go.mod h1:c=\n"
	drv := e.drv(spec{name: "mods", builder: "builtin:frazil-gomodproxy", system: "builtin",
		env: map[string]string{"goSum": goSum}, fixed: fixedOut("r:sha256", narHash(t, nixhash.SHA256, want))})
	if _, _, err := e.realise(Options{}, drv); err != nil {
		t.Fatal(err)
	}
	if got := hits.Load(); got != 3 {
		t.Errorf("%d requests, want 3 (one per file)", got)
	}
	missing := e.drv(spec{name: "mods2", builder: "builtin:frazil-gomodproxy", system: "builtin",
		env: map[string]string{"goSum": "example.com/gone v1.0.0 h1:a=\n"}, fixed: fixedOut("r:sha256", narHash(t, nixhash.SHA256, want))})
	if _, _, err := e.realise(Options{}, missing); err == nil || !strings.Contains(err.Error(), "fetch example.com/gone@v1.0.0.zip") {
		t.Errorf("missing module: %v", err)
	}
}

func TestPlaceholders(t *testing.T) {
	e := newTestEnv(t)
	// The value builtins.placeholder "out" has in Nix 2.8.
	if got, want := Placeholder("out"), "/1rz4g4znpzjwh1xymhjpm42vipw92pr73vdgl6xs1hycac8kf2n9"; got != want {
		t.Fatalf("Placeholder(out) = %q, want %q", got, want)
	}
	out, dev := Placeholder("out"), Placeholder("dev")
	drv := e.drv(spec{
		name: "ph", outputs: []string{"out", "dev"},
		args: []string{"mkdir", out, "mkdir", "$dev", "write", out + "/f", "arg", "copy", "$fileContentsPath", "$target"},
		env:  map[string]string{"target": dev + "/g", "fileContents": "see " + out, "passAsFile": "fileContents"},
	})
	if _, _, err := e.realise(Options{}, drv); err != nil {
		t.Fatal(err)
	}
	outs := e.outputs(drv)
	if got := e.read(outs["out"], "f"); got != "arg" {
		t.Errorf("out/f = %q, want %q", got, "arg")
	}
	// env: $target named dev's path; passAsFile: the file holds the
	// attribute with the placeholder replaced.
	if got, want := e.read(outs["dev"], "g"), "see "+string(outs["out"]); got != want {
		t.Errorf("dev/g = %q, want %q", got, want)
	}
}
