package activation

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// generation makes a toplevel under root with an etc tree built like
// NixOS's: leaves are symlinks into the store, sidecars mark copies.
func generation(t *testing.T, root, name string, etc map[string]string) string {
	t.Helper()
	top := "/nix/store/" + strings.Repeat("a", 32) + "-frazil-system-" + name
	src := "/nix/store/" + strings.Repeat("b", 32) + "-etc-src-" + name
	for rel, content := range etc {
		if strings.HasSuffix(rel, ".mode") || strings.HasSuffix(rel, ".uid") {
			mustWrite(t, filepath.Join(root, top, "etc", rel), content)
			continue
		}
		mustWrite(t, filepath.Join(root, src, rel), content)
		link := filepath.Join(root, top, "etc", rel)
		os.MkdirAll(filepath.Dir(link), 0o755)
		if err := os.Symlink(filepath.Join(src, rel), link); err != nil {
			t.Fatal(err)
		}
	}
	mustWrite(t, filepath.Join(root, top, "sw/bin/sh"), "#!shell")
	os.Chmod(filepath.Join(root, top, "sw/bin/sh"), 0o755)
	return top
}

func mustWrite(t *testing.T, p, content string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readLink(t *testing.T, p string) string {
	t.Helper()
	dest, err := os.Readlink(p)
	if err != nil {
		t.Errorf("readlink: %v", err)
	}
	return dest
}

func read(t *testing.T, p string) string {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Errorf("read: %v", err)
	}
	return string(data)
}

func TestActivateTwoGenerations(t *testing.T) {
	root := t.TempDir()
	gen1 := generation(t, root, "1", map[string]string{
		"hosts": "127.0.0.1 localhost\n", "ssl/certs/ca.pem": "CERT", "motd": "hello 1",
		"sudoers": "root ALL", "sudoers.mode": "0440", "old-copy": "x", "old-copy.mode": "0644",
		"passwd": "should be ignored",
	})
	data := &Data{
		Users:  []User{{Name: "alice", UID: 1000, Group: "users", Home: "/home/alice", IsNormalUser: true, ExtraGroups: []string{"wheel"}, AuthorizedKeys: []string{"ssh-ed25519 AAAA alice"}}},
		Groups: []Group{{Name: "wheel", GID: 1, Members: []string{"root"}}},
	}
	var logs []string
	logf := func(f string, a ...any) { logs = append(logs, f) }
	if err := Activate(Options{Root: root, Toplevel: gen1, Booting: true, Data: data, Logf: logf}); err != nil {
		t.Fatal(err)
	}
	p := func(s string) string { return filepath.Join(root, s) }
	for link, want := range map[string]string{
		"/etc/static": gen1 + "/etc", "/etc/hosts": "/etc/static/hosts", "/etc/ssl/certs/ca.pem": "/etc/static/ssl/certs/ca.pem",
		"/run/current-system": gen1, "/run/booted-system": gen1, "/bin/sh": gen1 + "/sw/bin/sh",
		"/nix/var/nix/gcroots/current-system": "/run/current-system", "/nix/var/nix/gcroots/booted-system": "/run/booted-system",
		"/var/run": "/run",
	} {
		if got := readLink(t, p(link)); got != want {
			t.Errorf("%s -> %q, want %q", link, got, want)
		}
	}
	if st, err := os.Lstat(p("/etc/sudoers")); err != nil || !st.Mode().IsRegular() || st.Mode().Perm() != 0o440 || read(t, p("/etc/sudoers")) != "root ALL" {
		t.Errorf("/etc/sudoers should be a 0440 copy: %v %v", st.Mode(), err)
	}
	if st, _ := os.Stat(p("/tmp")); st.Mode()&os.ModeSticky == 0 || st.Mode().Perm() != 0o777 {
		t.Errorf("/tmp mode %v", st.Mode())
	}
	wantPasswd := "root:x:0:0:System administrator:/root:/run/current-system/sw/bin/sh\n" +
		"alice:x:1000:100::/home/alice:/run/current-system/sw/bin/sh\n" +
		"nobody:x:65534:65534:Unprivileged account:/var/empty:/run/current-system/sw/bin/nologin\n"
	if got := read(t, p("/etc/passwd")); got != wantPasswd {
		t.Errorf("/etc/passwd =\n%s\nwant\n%s", got, wantPasswd)
	}
	wantGroup := "root:x:0:\nwheel:x:1:alice,root\nusers:x:100:\nnogroup:x:65534:\n"
	if got := read(t, p("/etc/group")); got != wantGroup {
		t.Errorf("/etc/group =\n%s\nwant\n%s", got, wantGroup)
	}
	if got := read(t, p("/etc/ssh/authorized_keys.d/alice")); got != "ssh-ed25519 AAAA alice\n" {
		t.Errorf("authorized keys = %q", got)
	}
	if st, err := os.Stat(p("/home/alice")); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("home: %v", err)
	}

	// The user sets a password on the machine; generation 2 drops files.
	shadow := strings.Replace(read(t, p("/etc/shadow")), "alice:!:", "alice:$6$salt$hash:", 1)
	os.WriteFile(p("/etc/shadow"), []byte(shadow), 0o600)
	gen2 := generation(t, root, "2", map[string]string{"hosts": "127.0.0.1 localhost\n", "motd": "hello 2"})
	if err := Activate(Options{Root: root, Toplevel: gen2, Data: data, Logf: logf}); err != nil {
		t.Fatal(err)
	}
	if got := readLink(t, p("/run/booted-system")); got != gen1 {
		t.Errorf("booted-system moved to %q on a switch", got)
	}
	if got := readLink(t, p("/run/current-system")); got != gen2 {
		t.Errorf("current-system = %q", got)
	}
	if got := readLink(t, p("/etc/static")); got != gen2+"/etc" {
		t.Errorf("/etc/static -> %q after the switch", got)
	}
	if got := read(t, resolve(&Options{Root: root}, p(gen2+"/etc/motd"))); got != "hello 2" {
		t.Errorf("/etc/static/motd = %q after the switch", got)
	}
	for _, gone := range []string{"/etc/ssl/certs/ca.pem", "/etc/sudoers", "/etc/old-copy"} {
		if _, err := os.Lstat(p(gone)); !os.IsNotExist(err) {
			t.Errorf("%s survived the switch (%v)", gone, err)
		}
	}
	if !strings.Contains(read(t, p("/etc/shadow")), "alice:$6$salt$hash:1::::::\n") {
		t.Errorf("password set on the machine was lost:\n%s", read(t, p("/etc/shadow")))
	}
}

func TestActivateReportsButContinues(t *testing.T) {
	root := t.TempDir()
	top := generation(t, root, "1", map[string]string{"hosts": "x"})
	data := &Data{Users: []User{{Name: "bad:name", UID: 5, Group: "users"}, {Name: "bob", UID: 6, Group: "nosuchgroup"}}}
	err := Activate(Options{Root: root, Toplevel: top, Data: data})
	if err == nil || !strings.Contains(err.Error(), `user "bad:name"`) || !strings.Contains(err.Error(), `unknown group "nosuchgroup"`) {
		t.Errorf("Activate = %v", err)
	}
	if got := readLink(t, filepath.Join(root, "/run/current-system")); got != top {
		t.Errorf("later steps did not run: current-system = %q", got)
	}
	if !strings.Contains(read(t, filepath.Join(root, "/etc/passwd")), "root:x:0:0:") {
		t.Errorf("valid users not written")
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	d, err := Load(filepath.Join(dir, "missing.json"))
	if err != nil || d.HostName != "" {
		t.Errorf("missing file: %v %+v", err, d)
	}
	os.WriteFile(filepath.Join(dir, "a.json"), []byte(`{"hostName":"web1","network":{"interfaces":[{"name":"eth0","addresses":["10.0.2.15/24"]}],"defaultGateway":"10.0.2.2"}}`), 0o644)
	d, err = Load(filepath.Join(dir, "a.json"))
	if err != nil || d.HostName != "web1" || d.Network.Interfaces[0].Addresses[0] != "10.0.2.15/24" {
		t.Errorf("Load = %+v, %v", d, err)
	}
	os.WriteFile(filepath.Join(dir, "b.json"), []byte(`{"hostName":`), 0o644)
	if _, err := Load(filepath.Join(dir, "b.json")); err == nil || !strings.Contains(err.Error(), "b.json") {
		t.Errorf("bad json: %v", err)
	}
}
