package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/generations"
	"github.com/frazil/frazil/image/bootloader"
	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// deployToplevel adds a toplevel labelled label (with a kernel and an
// initrd, and boot.json when given) to the store at root.
func deployToplevel(t *testing.T, root, label, bootJSON string) storepath.Path {
	t.Helper()
	s, err := store.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	add := func(name string, files, links map[string]string, refs []storepath.Path) storepath.Path {
		dir := filepath.Join(t.TempDir(), name)
		os.MkdirAll(dir, 0o755)
		for n, c := range files {
			os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644)
		}
		for n, target := range links {
			os.Symlink(target, filepath.Join(dir, n))
		}
		info, err := s.AddTree(dir, name, storepath.Recursive, refs)
		if err != nil {
			t.Fatal(err)
		}
		return info.Path
	}
	k := add("linux", map[string]string{"bzImage": "kernel"}, nil, nil)
	i := add("initrd", map[string]string{"initrd": "initrd"}, nil, nil)
	files := map[string]string{"system": "x86_64-linux", "kernel-params": "console=ttyS0", "frazil-version": label}
	if bootJSON != "" {
		files["boot.json"] = bootJSON
	}
	return add("frazil-system-test-"+label, files,
		map[string]string{"kernel": string(k) + "/bzImage", "initrd": string(i) + "/initrd", "init": "/nix/store/x-init/bin/init"},
		[]storepath.Path{k, i})
}

// rebuild runs a deploy action and returns its standard output.
func rebuild(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return captureStdout(t, func() error { return runRebuild(args) })
}

// TestRebuildSwitchHostProfile: switch and boot with --profile add
// generations to a profile on the build host (none when the newest
// already is the system) and never try to activate.
func TestRebuildSwitchHostProfile(t *testing.T) {
	root := filepath.Join(t.TempDir(), "st")
	v1, v2 := deployToplevel(t, root, "v1", ""), deployToplevel(t, root, "v2", "")
	profile := filepath.Join(t.TempDir(), "profiles", "system")
	for i, c := range []struct {
		action string
		top    storepath.Path
		gens   int
	}{{"switch", v1, 1}, {"boot", v2, 2}, {"switch", v2, 2}, {"switch", v1, 3}} {
		out, err := rebuild(t, c.action, "--store", root, "--profile", profile, "--toplevel", string(c.top), "--socket", "/nonexistent")
		if err != nil {
			t.Fatalf("step %d: rebuild %s: %v", i, c.action, err)
		}
		if strings.TrimSpace(out) != string(c.top) {
			t.Errorf("step %d: printed %q, want the toplevel", i, out)
		}
		p, err := generations.Open(profile, root)
		if err != nil {
			t.Fatal(err)
		}
		gens, _ := p.List()
		cur, _ := p.Current()
		if len(gens) != c.gens || cur.Target != string(c.top) {
			t.Errorf("step %d: %d generations, current %s; want %d, %s", i, len(gens), cur.Target, c.gens, c.top)
		}
	}
	if _, err := rebuild(t, "test", "--store", root, "--profile", profile, "--toplevel", string(v1)); err == nil || !strings.Contains(err.Error(), "running machine") {
		t.Errorf("test with --profile: %v", err)
	}
	if _, err := rebuild(t, "switch", "--store", root, "--profile", profile, "--toplevel", "/nix/store/00000000000000000000000000000000-missing"); err == nil || !strings.Contains(err.Error(), "not a valid path") {
		t.Errorf("switch to a path not in the store: %v", err)
	}
	if _, err := rebuild(t, "switch", "--store", root, "extra"); !errors.Is(err, errUsage) {
		t.Errorf("positional argument: %v", err)
	}
}

// TestRebuildActivate: on the running machine, switch and test ask PID 1
// over the control socket to activate the system.
func TestRebuildActivate(t *testing.T) {
	sock, f := serveFake(t)
	var stderr bytes.Buffer
	o := deployOpts{socket: sock}
	o.storeDir = "/"
	if err := o.activate("/nix/store/00000000000000000000000000000000-frazil-system-x", &stderr); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(f.actions, ","); got != "switch /nix/store/00000000000000000000000000000000-frazil-system-x" {
		t.Errorf("actions %q", got)
	}
	if !strings.Contains(stderr.String(), "started: extra\nrestarted: web\n") {
		t.Errorf("stderr lacks the changes:\n%s", stderr.String())
	}
	if err := o.activate("/tmp/not-a-toplevel", &stderr); err == nil || !strings.Contains(err.Error(), "not a toplevel") {
		t.Errorf("bad toplevel: %v", err)
	}
	o.profile = "/tmp/elsewhere"
	stderr.Reset()
	if err := o.activate("/nix/store/00000000000000000000000000000000-frazil-system-x", &stderr); err != nil || !strings.Contains(stderr.String(), "not the running machine") || len(f.actions) != 2 {
		t.Errorf("activate with a host profile: %v, %q, actions %q", err, stderr.String(), f.actions)
	}
}

func TestLoaderSettings(t *testing.T) {
	for _, c := range []struct {
		name, json string
		menu       bootloader.MenuOptions
		fw         bootloader.Firmware
	}{
		{"no boot.json", "", bootloader.MenuOptions{Timeout: 5, Limit: 100}, 0},
		{"bootspec only", `{"org.nixos.bootspec.v1": {}}`, bootloader.MenuOptions{Timeout: 5, Limit: 100}, 0},
		{"settings", `{"org.frazil.bootloader.v1": {"loader": "grub", "timeout": 2, "configurationLimit": 10, "efiSupport": true, "biosSupport": false, "root": "LABEL=frazil-root"}}`,
			bootloader.MenuOptions{Timeout: 2, Limit: 10}, bootloader.UEFI},
		{"wait for a key, other root", `{"org.frazil.bootloader.v1": {"timeout": null, "configurationLimit": 3, "root": "UUID=x"}}`,
			bootloader.MenuOptions{Timeout: -1, Limit: 3, Root: "UUID=x"}, bootloader.BIOS | bootloader.UEFI},
	} {
		dir := t.TempDir()
		if c.json != "" {
			os.WriteFile(filepath.Join(dir, "boot.json"), []byte(c.json), 0o644)
		}
		menu, fw, err := loaderSettings(dir)
		if err != nil || menu != c.menu || fw != c.fw {
			t.Errorf("%s: %+v %v %v, want %+v %v", c.name, menu, fw, err, c.menu, c.fw)
		}
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "boot.json"), []byte(`{"org.frazil.bootloader.v1": {"timeout": "soon"}}`), 0o644)
	if _, _, err := loaderSettings(dir); err == nil || !strings.Contains(err.Error(), "org.frazil.bootloader.v1") {
		t.Errorf("bad settings: %v", err)
	}
}

// TestRebuildBuildImageAndVM: build-image with --profile puts every
// generation of the profile into the image (adding the system), with the
// menu settings of boot.json; build-vm writes the image and a run script.
func TestRebuildBuildImageAndVM(t *testing.T) {
	testutil.RequireTool(t, "grub-mkimage", "make setup")
	root := filepath.Join(t.TempDir(), "st")
	boot := `{"org.frazil.bootloader.v1": {"timeout": 3, "configurationLimit": 10, "efiSupport": true, "biosSupport": true}}`
	v1, v2 := deployToplevel(t, root, "v1", boot), deployToplevel(t, root, "v2", boot)
	profile := filepath.Join(t.TempDir(), "profiles", "system")
	if _, err := rebuild(t, "switch", "--store", root, "--profile", profile, "--toplevel", string(v1)); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(t.TempDir(), "disk.img")
	out, err := rebuild(t, "build-image", "--store", root, "--profile", profile, "--toplevel", string(v2), "-o", img, "--free", "1M", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Toplevel string
		Image    string
		Paths    []string
		Menu     bootloader.Menu
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	joined := strings.Join(res.Paths, " ")
	if res.Image != img || res.Toplevel != string(v2) || !strings.Contains(joined, string(v1)) || !strings.Contains(joined, string(v2)) {
		t.Errorf("image %s of %s holds %q; want both generations", res.Image, res.Toplevel, res.Paths)
	}
	if len(res.Menu.Entries) != 2 || res.Menu.Timeout != 3 || !strings.Contains(res.Menu.Entries[0].Title, "Generation 2") {
		t.Errorf("menu %+v, want 2 entries, timeout 3, generation 2 first", res.Menu)
	}

	vmDir := filepath.Join(t.TempDir(), "vm")
	out, err = rebuild(t, "build-vm", "--store", root, "--toplevel", string(v2), "-o", vmDir, "--free", "1M")
	if err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(vmDir, "bin", "run-vm")
	if strings.TrimSpace(out) != script {
		t.Errorf("build-vm printed %q, want %s", out, script)
	}
	data, err := os.ReadFile(script)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), ` run-vm "$@" '`+filepath.Join(vmDir, "disk.img")+`'`) {
		t.Errorf("run script:\n%s", data)
	}
	if st, err := os.Stat(filepath.Join(vmDir, "disk.img")); err != nil || st.Size() == 0 {
		t.Errorf("build-vm image: %v", err)
	}
}
