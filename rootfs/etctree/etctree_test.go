package etctree

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/init/activation"
)

func readLink(t *testing.T, p string) string {
	t.Helper()
	dest, err := os.Readlink(p)
	if err != nil {
		t.Fatal(err)
	}
	return dest
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBuild(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	entries := []Entry{
		{Target: "hostname", Source: "/nix/store/h-etc-hostname", Mode: "symlink"},
		{Target: "ssh/sshd_config", Source: "/nix/store/s-sshd_config"},
		{Target: "sudoers", Source: "/nix/store/x-sudoers", Mode: "0440", User: "+0", Group: "wheel"},
		{Target: "secret", Source: "/nix/store/y-secret", Mode: "0400", User: "alice"},
		{Target: "static/direct", Source: "/nix/store/z-direct", Mode: "direct-symlink"},
	}
	if err := Build(out, entries); err != nil {
		t.Fatal(err)
	}
	etc := filepath.Join(out, "etc")
	links := map[string]string{"hostname": "/nix/store/h-etc-hostname", "ssh/sshd_config": "/nix/store/s-sshd_config",
		"sudoers": "/nix/store/x-sudoers", "secret": "/nix/store/y-secret", "static/direct": "/nix/store/z-direct"}
	for rel, want := range links {
		if got := readLink(t, filepath.Join(etc, rel)); got != want {
			t.Errorf("etc/%s -> %s, want %s", rel, got, want)
		}
	}
	sidecars := map[string]string{"sudoers.mode": "0440\n", "sudoers.uid": "+0\n", "sudoers.gid": "wheel\n",
		"secret.mode": "0400\n", "secret.uid": "alice\n", "secret.gid": "+0\n", "static/direct.mode": "direct-symlink\n"}
	for rel, want := range sidecars {
		if got := readFile(t, filepath.Join(etc, rel)); got != want {
			t.Errorf("etc/%s = %q, want %q", rel, got, want)
		}
	}
	for _, rel := range []string{"hostname.mode", "ssh/sshd_config.mode", "static/direct.uid"} {
		if _, err := os.Lstat(filepath.Join(etc, rel)); err == nil {
			t.Errorf("etc/%s exists; want no sidecar", rel)
		}
	}
}

func TestCheckErrors(t *testing.T) {
	src := "/nix/store/a-x"
	tests := []struct {
		entries []Entry
		want    string
	}{
		{[]Entry{{Target: "/abs", Source: src}}, "clean relative path"},
		{[]Entry{{Target: "a/../b", Source: src}}, "clean relative path"},
		{[]Entry{{Target: "..", Source: src}}, "clean relative path"},
		{[]Entry{{Target: "", Source: src}}, "clean relative path"},
		{[]Entry{{Target: "f.mode", Source: src}}, "reserved for sidecar"},
		{[]Entry{{Target: "f", Source: "relative"}}, "not an absolute path"},
		{[]Entry{{Target: "f", Source: src, Mode: "rw"}}, "is not symlink"},
		{[]Entry{{Target: "f", Source: src, Mode: "17777"}}, "is not symlink"},
		{[]Entry{{Target: "f", Source: src}, {Target: "f", Source: src}}, `"f" is defined twice`},
		{[]Entry{{Target: "ssh", Source: src}, {Target: "ssh/x", Source: src}}, `"ssh/x" lies inside entry "ssh"`},
	}
	for _, tt := range tests {
		err := Check(tt.entries)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Check(%+v) = %v, want an error containing %q", tt.entries, err, tt.want)
		}
	}
	if err := Build(filepath.Join(t.TempDir(), "o"), []Entry{{Target: "/x", Source: src}}); err == nil || !strings.HasPrefix(err.Error(), "etc tree: ") {
		t.Errorf("Build with a bad entry: %v", err)
	}
}

func TestParseEntries(t *testing.T) {
	got, err := ParseEntries([]byte(`[{"target":"a","source":"/nix/store/x-a","mode":"0644","user":"+0","group":"+0"}]`))
	if err != nil || len(got) != 1 || got[0].Mode != "0644" {
		t.Fatalf("ParseEntries = %+v, %v", got, err)
	}
	if _, err := ParseEntries([]byte(`[{"target":"a","source":"/x","text":"inline"}]`)); err == nil {
		t.Error("ParseEntries accepted an unknown field")
	}
	if _, err := ParseEntries([]byte(`{}`)); err == nil {
		t.Error("ParseEntries accepted an object")
	}
}

// TestActivation activates a toplevel whose etc is a built tree and checks
// that /etc gets the links and copies activation promises.
func TestActivation(t *testing.T) {
	root := t.TempDir()
	store := filepath.Join(root, "nix/store")
	os.MkdirAll(store, 0o755)
	os.WriteFile(filepath.Join(store, "h-etc-hostname"), []byte("web1\n"), 0o444)
	os.WriteFile(filepath.Join(store, "x-sudoers"), []byte("root ALL=(ALL) ALL\n"), 0o444)
	top := "/nix/store/t-frazil-system"
	if err := Build(filepath.Join(root, top), []Entry{
		{Target: "hostname", Source: "/nix/store/h-etc-hostname", Mode: "symlink"},
		{Target: "sudoers", Source: "/nix/store/x-sudoers", Mode: "0440", User: "+0", Group: "+0"},
	}); err != nil {
		t.Fatal(err)
	}
	err := activation.Activate(activation.Options{Root: root, Toplevel: top, Data: &activation.Data{}})
	if err != nil {
		t.Logf("activation reported (other steps need a real machine): %v", err)
	}
	if got := readLink(t, filepath.Join(root, "etc/hostname")); got != "/etc/static/hostname" {
		t.Errorf("/etc/hostname -> %s, want /etc/static/hostname", got)
	}
	st, err := os.Lstat(filepath.Join(root, "etc/sudoers"))
	if err != nil {
		t.Fatal(err)
	}
	if !st.Mode().IsRegular() || st.Mode().Perm() != 0o440 {
		t.Errorf("/etc/sudoers mode %v, want a regular file with 0440", st.Mode())
	}
	if got := readFile(t, filepath.Join(root, "etc/sudoers")); got != "root ALL=(ALL) ALL\n" {
		t.Errorf("/etc/sudoers = %q", got)
	}
}

func FuzzParseEntries(f *testing.F) {
	f.Add([]byte(`[{"target":"a/b","source":"/nix/store/x","mode":"0600","user":"u","group":"g"}]`))
	f.Add([]byte(`[{"target":"a","source":"/s"},{"target":"a/b","source":"/s"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries, err := ParseEntries(data)
		if err != nil {
			return
		}
		if err := Build(filepath.Join(t.TempDir(), "out"), entries); err != nil {
			t.Errorf("entries passed the check but did not build: %v", err)
		}
	})
}
