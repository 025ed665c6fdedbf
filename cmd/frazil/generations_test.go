package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/generations"
	"github.com/frazil/frazil/image/bootloader"
	"github.com/frazil/frazil/image/imagetest"
)

// capture runs fn with os.Stdout redirected and returns what it printed.
func capture(t *testing.T, fn func() error) (string, error) {
	t.Helper()
	r, w, _ := os.Pipe()
	old := os.Stdout
	os.Stdout = w
	err := fn()
	w.Close()
	os.Stdout = old
	b, _ := io.ReadAll(r)
	return string(b), err
}

// testProfile makes a store with n generations whose kernels are small
// stand-in files (no boot happens here).
func testProfile(t *testing.T, n int) (store, profile string, tops []string) {
	t.Helper()
	store = filepath.Join(t.TempDir(), "store")
	kernel := filepath.Join(t.TempDir(), "bzImage")
	os.WriteFile(kernel, []byte("not a kernel"), 0o644)
	p, _ := generations.Open(filepath.Join(store, generations.DefaultSystemProfile), store)
	for i := 0; i < n; i++ {
		top := imagetest.Toplevel(t, store, imagetest.Generation{Label: "v" + string(rune('1'+i)), Kernel: kernel,
			Initrd: []byte("initrd " + string(rune('1'+i)))})
		if _, _, err := p.Set(top); err != nil {
			t.Fatal(err)
		}
		tops = append(tops, top)
	}
	return store, p.Path, tops
}

func TestGenerationsListJSON(t *testing.T) {
	store, _, tops := testProfile(t, 2)
	out, err := capture(t, func() error { return runGenerations([]string{"list", "--store", store, "--json"}) })
	if err != nil {
		t.Fatal(err)
	}
	var got []generationJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	if len(got) != 2 || got[1].Toplevel != tops[1] || !got[1].Current || got[0].Current || got[0].Version != "v1" {
		t.Errorf("list --json = %+v", got)
	}
}

// TestRollbackRewritesBootMenu: on a device rollback must also make the
// next boot use the previous generation.
func TestRollbackRewritesBootMenu(t *testing.T) {
	store, profile, tops := testProfile(t, 2)
	boot := t.TempDir()
	p, _ := generations.Open(profile, store)
	bl, _ := bootloader.New(bootloader.X86_64, bootloader.UEFI)
	if _, err := bootloader.Update(bootloader.DirESP(boot), bl, p, bootloader.MenuOptions{Timeout: 3, Limit: 10}); err != nil {
		t.Fatal(err)
	}
	if err := runGenerations([]string{"rollback", "--profile", profile, "--store", store, "--boot", boot}); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(boot, "grub", "grub.cfg"))
	if err != nil {
		t.Fatal(err)
	}
	// entries stay newest first; the default is now the second one (generation 1)
	if !strings.Contains(string(cfg), "set default=1\n") || !strings.Contains(string(cfg), "set timeout=3\n") {
		t.Errorf("grub.cfg after rollback:\n%s", cfg)
	}
	if !strings.Contains(string(cfg), "init="+tops[0]+"/init") {
		t.Errorf("grub.cfg lacks generation 1:\n%s", cfg)
	}
	if err := runGenerations([]string{"delete", "2", "--profile", profile, "--store", store, "--boot", boot}); err != nil {
		t.Fatal(err)
	}
	cfg, _ = os.ReadFile(filepath.Join(boot, "grub", "grub.cfg"))
	if strings.Contains(string(cfg), tops[1]) {
		t.Errorf("deleted generation still in the menu:\n%s", cfg)
	}
	files, _ := os.ReadDir(filepath.Join(boot, "EFI", "frazil"))
	if len(files) != 2 {
		t.Errorf("ESP holds %d boot files after the delete, want 2 (one kernel, one initrd)", len(files))
	}
}

func TestGenerationsUsageErrors(t *testing.T) {
	store, _, _ := testProfile(t, 1)
	for _, args := range [][]string{{}, {"frobnicate", "--store", store}, {"switch", "--store", store}} {
		if err := runGenerations(args); err != errUsage {
			t.Errorf("generations %q = %v, want a usage error", args, err)
		}
	}
	err := runGenerations([]string{"delete", "1", "--store", store, "--boot", "none"})
	if err == nil || !strings.Contains(err.Error(), "cannot delete current version of profile") {
		t.Errorf("deleting the current generation: %v", err)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"64M": 64 << 20, "1G": 1 << 30, "512K": 512 << 10, "1000": 1000} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "M", "-1M", "1T"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q): no error", bad)
		}
	}
}

func TestGenerationsSet(t *testing.T) {
	store, _, tops := testProfile(t, 2)
	profile := filepath.Join(t.TempDir(), "host-profiles", "system")
	for _, top := range []string{tops[0], tops[1], tops[1]} {
		if err := runGenerations([]string{"set", top, "--profile", profile, "--store", store, "--boot", "none"}); err != nil {
			t.Fatal(err)
		}
	}
	p, _ := generations.Open(profile, store)
	gens, err := p.List()
	if err != nil || len(gens) != 2 || gens[1].Target != tops[1] || !gens[1].Current {
		t.Errorf("after set a, b, b: %+v, %v; want 2 generations, the second current", gens, err)
	}
	// the profile is outside the store's profiles directory: its links are indirect roots
	autos, _ := os.ReadDir(filepath.Join(store, "nix/var/nix/gcroots/auto"))
	if len(autos) != 2 {
		t.Errorf("%d indirect roots, want 2 (one per generation link)", len(autos))
	}
	if err := runGenerations([]string{"set", "/nix/store/00000000000000000000000000000000-missing", "--profile", profile, "--store", store}); err == nil {
		t.Error("set of a path missing from the store: no error")
	}
}
