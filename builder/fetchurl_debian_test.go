package builder

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/frazil/frazil/store/nixhash"
)

// writeAptDir writes an apt configuration directory with the given files
// (relative names) and returns it.
func writeAptDir(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestAptArchives(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"none", nil, nil},
		{"one-line", map[string]string{"sources.list": "# comment\ndeb http://a.example/debian bookworm main\ndeb-src http://src.example/debian bookworm main\n" +
			"deb [arch=amd64 signed-by=/k.gpg] https://b.example/debian/ bookworm main # trailing\ndeb cdrom:[Debian]/ bookworm main\n"},
			[]string{"http://a.example/debian", "https://b.example/debian"}},
		{"deb822", map[string]string{"sources.list.d/debian.sources": "Types: deb deb-src\nURIs: http://c.example/debian\n  http://d.example/debian\nSuites: bookworm\n\n" +
			"Types: deb\nURIs: http://off.example/debian\nEnabled: no\n\nTypes: deb-src\nURIs: http://src.example/\n\n# Types: deb\n"},
			[]string{"http://c.example/debian", "http://d.example/debian"}},
		{"order and duplicates", map[string]string{
			"sources.list":                   "deb http://a.example/debian bookworm main\n",
			"sources.list.d/b.list":          "deb http://a.example/debian/ bookworm-updates main\ndeb file:///srv/mirror ./\n",
			"sources.list.d/a.sources":       "Types: deb\nURIs: http://z.example/debian\n",
			"sources.list.d/c.list.disabled": "deb http://disabled.example/ x y\n",
		}, []string{"http://a.example/debian", "http://z.example/debian", "file:///srv/mirror"}},
	}
	for _, tt := range tests {
		got, err := AptArchives(writeAptDir(t, tt.files))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: AptArchives = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestFetchurlDebian fetches a debian: URL through two configured archives,
// the first of which lacks the file.
func TestFetchurlDebian(t *testing.T) {
	payload := []byte("a .deb, say\n")
	empty := httptest.NewServer(http.NotFoundHandler())
	defer empty.Close()
	mirror := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/debian/pool/main/x/x_1_all.deb" {
			http.NotFound(w, r)
			return
		}
		w.Write(payload)
	}))
	defer mirror.Close()
	old := aptDir
	defer func() { aptDir = old }()
	aptDir = writeAptDir(t, map[string]string{
		"sources.list":                "deb " + empty.URL + "/debian bookworm main\n",
		"sources.list.d/main.sources": "Types: deb\nURIs: " + mirror.URL + "/debian/\nSuites: bookworm\n",
	})

	e := newTestEnv(t)
	flat := fixedOut("sha256", nixhash.Sum(nixhash.SHA256, payload))
	drv := e.drv(fetchSpec("x_1_all.deb", "debian:pool/main/x/x_1_all.deb", flat, nil))
	if _, _, err := e.realise(Options{}, drv); err != nil {
		t.Fatal(err)
	}
	if err := fileIs(e, payload, 0o444)(e.out(drv)); err != nil {
		t.Error(err)
	}

	for _, tt := range []struct{ url, want string }{
		{"debian:pool/main/y/y.deb", "from any configured archive"},
		{"debian:", "want debian:<path in the archive>"},
		{"debian:pool/../etc/passwd", "want debian:<path in the archive>"},
	} {
		drv := e.drv(fetchSpec("y", tt.url, flat, map[string]string{"variant": tt.url}))
		_, _, err := e.realise(Options{}, drv)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.url, err, tt.want)
		}
	}

	aptDir = t.TempDir()
	drv = e.drv(fetchSpec("z", "debian:pool/z.deb", flat, map[string]string{"variant": "noarchive"}))
	if _, _, err := e.realise(Options{}, drv); err == nil || !strings.Contains(err.Error(), "no Debian archive is configured") {
		t.Errorf("no archives: error %v", err)
	}
}

func FuzzAptSources(f *testing.F) {
	f.Add("deb [a=b] http://x/ y z\n", "Types: deb\nURIs: http://y\n  http://z\n\nEnabled: no\n")
	f.Add("deb [unterminated http://x", "Types\n :\n")
	f.Fuzz(func(t *testing.T, list, sources string) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "sources.list"), []byte(list), 0o644)
		os.MkdirAll(filepath.Join(dir, "sources.list.d"), 0o755)
		os.WriteFile(filepath.Join(dir, "sources.list.d", "f.sources"), []byte(sources), 0o644)
		uris, err := AptArchives(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range uris {
			if p, err := url.Parse(u); err != nil || !archiveURL(p) {
				t.Errorf("archive %q has an unsupported scheme", u)
			}
		}
	})
}
