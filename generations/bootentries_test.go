package generations

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"
)

// makeToplevel writes a toplevel under root the way the system build lays it
// out: kernel and initrd are links into other store paths.
func makeToplevel(t *testing.T, root, top, version, params string) {
	t.Helper()
	real := filepath.Join(root, top)
	kernelPkg := filepath.Join(root, "/nix/store/00000000000000000000000000000000-linux-6.1")
	initrdPkg := filepath.Join(root, "/nix/store/11111111111111111111111111111111-initrd")
	for _, d := range []string{real, kernelPkg, initrdPkg} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(kernelPkg, "bzImage"), []byte("kernel"), 0o444)
	os.WriteFile(filepath.Join(initrdPkg, "initrd"), []byte("initrd"), 0o444)
	// a relative link hop inside the kernel package, then an absolute one
	os.Symlink("bzImage", filepath.Join(kernelPkg, "vmlinuz"))
	os.Symlink("/nix/store/00000000000000000000000000000000-linux-6.1/vmlinuz", filepath.Join(real, "kernel"))
	os.Symlink("/nix/store/11111111111111111111111111111111-initrd/initrd", filepath.Join(real, "initrd"))
	os.WriteFile(filepath.Join(real, "kernel-params"), []byte(params), 0o444)
	if version != "" {
		os.WriteFile(filepath.Join(real, "frazil-version"), []byte(version+"\n"), 0o444)
	}
}

func TestBootEntries(t *testing.T) {
	root := t.TempDir()
	p, _ := Open(filepath.Join(root, "nix/var/nix/profiles/system"), root)
	tops := []string{pathA, pathB, pathC}
	for i, top := range tops {
		makeToplevel(t, root, top, []string{"24.1", "", "24.3"}[i], "console=ttyS0 quiet\n")
		mustSet(t, p, top)
		setTime(t, p, i+1, time.Date(2026, 1, i+1, 10, 30, 0, 0, time.UTC))
	}
	if err := p.SwitchGeneration(2); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		limit    int
		wantGens []int
	}{
		{0, []int{3, 2, 1}},
		{3, []int{3, 2, 1}},
		{2, []int{3, 2}},
		{1, []int{2}}, // the current generation always stays in the menu
	}
	for _, tt := range tests {
		es, err := p.BootEntries(tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		var gens []int
		for _, e := range es {
			gens = append(gens, e.Generation)
			if e.Default != (e.Generation == 2) {
				t.Errorf("limit %d: generation %d Default = %v", tt.limit, e.Generation, e.Default)
			}
		}
		if !reflect.DeepEqual(gens, tt.wantGens) {
			t.Errorf("limit %d: generations %v, want %v", tt.limit, gens, tt.wantGens)
		}
	}
	es, _ := p.BootEntries(0)
	want := BootEntry{Generation: 1, Time: time.Date(2026, 1, 1, 10, 30, 0, 0, time.UTC), Version: "24.1", Toplevel: pathA,
		Kernel: "/nix/store/00000000000000000000000000000000-linux-6.1/bzImage",
		Initrd: "/nix/store/11111111111111111111111111111111-initrd/initrd",
		Params: []string{"console=ttyS0", "quiet"}}
	got := es[2]
	got.Time = got.Time.UTC()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("entry:\ngot  %+v\nwant %+v", got, want)
	}
	if got, want := es[2].Title(), "Frazil - Generation 1 (2026-01-01 10:30 - 24.1)"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
	if got, want := es[1].Title(), "Frazil - Generation 2 (2026-01-02 10:30)"; got != want {
		t.Errorf("Title without version = %q, want %q", got, want)
	}
	if got, want := es[0].Init(), pathC+"/init"; got != want {
		t.Errorf("Init = %q, want %q", got, want)
	}
}

func TestBootEntryMissingKernel(t *testing.T) {
	root := t.TempDir()
	p, _ := Open(filepath.Join(root, "profiles/system"), root)
	os.MkdirAll(filepath.Join(root, pathA), 0o755)
	mustSet(t, p, pathA)
	if _, err := p.BootEntries(0); err == nil {
		t.Error("BootEntries of a toplevel without kernel: no error")
	}
}

func TestResolveLoop(t *testing.T) {
	root := t.TempDir()
	p, _ := Open(filepath.Join(root, "profiles/system"), root)
	os.MkdirAll(filepath.Join(root, "nix/store"), 0o755)
	os.Symlink("/nix/store/b", filepath.Join(root, "nix/store/a"))
	os.Symlink("/nix/store/a", filepath.Join(root, "nix/store/b"))
	if _, err := p.Resolve("/nix/store/a"); err == nil {
		t.Error("Resolve of a link loop: no error")
	}
}
