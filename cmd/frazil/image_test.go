package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// registeredToplevel adds a kernel, an initrd and a toplevel referring to
// them to a Frazil store, as the system build will.
func registeredToplevel(t *testing.T, root string) storepath.Path {
	t.Helper()
	s, err := store.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	add := func(name string, files map[string]string, links map[string]string, refs []storepath.Path) storepath.Path {
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
	return add("frazil-system-test", map[string]string{"system": "x86_64-linux", "kernel-params": "console=ttyS0", "frazil-version": "t1"},
		map[string]string{"kernel": string(k) + "/bzImage", "initrd": string(i) + "/initrd"}, []storepath.Path{k, i})
}

// TestImageBuildWithStoreDatabase: an image of a registered toplevel holds
// a store database that lists the closure; two builds give the same bytes.
func TestImageBuildWithStoreDatabase(t *testing.T) {
	testutil.RequireTool(t, "grub-mkimage", "make setup")
	debugfs := testutil.RequireTool(t, "debugfs", "apt-get install e2fsprogs")
	root := filepath.Join(t.TempDir(), "st")
	top := registeredToplevel(t, root)
	t.Setenv("SOURCE_DATE_EPOCH", "1700000000")
	var imgs [2][]byte
	var layout struct {
		Layout struct{ Root struct{ Offset, Size int64 } }
		Paths  []string
	}
	for i := range imgs {
		out := filepath.Join(t.TempDir(), "disk.img")
		js, err := capture(t, func() error {
			return runImage([]string{"build", "--store", root, "--toplevel", string(top), "-o", out, "--free", "2M", "--json"})
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(js), &layout); err != nil {
			t.Fatalf("%v: %s", err, js)
		}
		imgs[i], _ = os.ReadFile(out)
	}
	if !bytes.Equal(imgs[0], imgs[1]) {
		t.Error("two builds of the same toplevel differ")
	}
	if len(layout.Paths) != 3 {
		t.Errorf("closure %q, want 3 paths", layout.Paths)
	}
	part := filepath.Join(t.TempDir(), "root.part")
	os.WriteFile(part, imgs[0][layout.Layout.Root.Offset:layout.Layout.Root.Offset+layout.Layout.Root.Size], 0o644)
	dbRoot := t.TempDir()
	os.MkdirAll(filepath.Join(dbRoot, "nix/var/nix/db"), 0o755)
	cmd := exec.Command(debugfs, "-R", "dump /nix/var/nix/db/frazil.db "+filepath.Join(dbRoot, "nix/var/nix/db/frazil.db"), part)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("debugfs: %v\n%s", err, out)
	}
	s, err := store.Open(dbRoot)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	valid, err := s.AllValid()
	if err != nil || len(valid) != 3 {
		t.Errorf("the image's database lists %q (%v), want the 3 closure paths", valid, err)
	}
	refs, err := s.References(top)
	if err != nil || len(refs) != 2 {
		t.Errorf("references of the toplevel in the image's database: %q, %v", refs, err)
	}
}
