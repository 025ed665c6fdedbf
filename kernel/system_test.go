package kernel

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// fakeTree writes a kernel tree with a few modules: a depends on b, vfat
// on fat, c is unrelated, and a has a softdep on d.
func fakeTree(t *testing.T) string {
	t.Helper()
	tree := t.TempDir()
	files := map[string]string{
		"bzImage":                              "kernel image",
		"lib/modules/6.1-test/modules.dep":     "kernel/a.ko: kernel/b.ko\nkernel/b.ko:\nkernel/c.ko:\nkernel/d.ko:\nkernel/fs/vfat.ko: kernel/fs/fat.ko\nkernel/fs/fat.ko:\nkernel/nls/nls_cp437.ko:\n",
		"lib/modules/6.1-test/modules.alias":   "# Aliases extracted from modules themselves.\nalias pci:v1234* a\nalias fs-vfat vfat\nalias pci:v9999* c\n",
		"lib/modules/6.1-test/modules.softdep": "softdep a pre: d\nsoftdep c pre: b\n",
		"lib/modules/6.1-test/modules.builtin": "kernel/nls/nls_utf8.ko\n",
	}
	for _, m := range []string{"a", "b", "c", "d", "fs/vfat", "fs/fat", "nls/nls_cp437"} {
		files["lib/modules/6.1-test/kernel/"+m+".ko"] = "module " + m
	}
	for name, data := range files {
		p := filepath.Join(tree, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return tree
}

func TestBuildSystem(t *testing.T) {
	tree := fakeTree(t)
	out := filepath.Join(t.TempDir(), "out")
	order, err := BuildSystem(out, SystemOptions{Tree: tree, ImageFile: "bzImage", Version: "6.1-test",
		Modules: []string{"pci:v12345678"}, FileSystems: []string{"vfat", "ext4"}})
	if err != nil {
		t.Fatal(err)
	}
	wantOrder := []string{"kernel/d.ko", "kernel/b.ko", "kernel/a.ko", "kernel/fs/fat.ko", "kernel/fs/vfat.ko", "kernel/nls/nls_cp437.ko"}
	if !reflect.DeepEqual(order, wantOrder) {
		t.Errorf("order = %q, want %q", order, wantOrder)
	}
	var got []string
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			got = append(got, rel)
		}
		return nil
	})
	sort.Strings(got)
	want := []string{"bzImage"}
	for _, f := range append(wantOrder, "modules.alias", "modules.builtin", "modules.dep", "modules.softdep") {
		want = append(want, "lib/modules/6.1-test/"+f)
	}
	sort.Strings(want)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("files = %q\nwant %q (c is not loaded: not included)", got, want)
	}
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	for _, c := range []struct{ file, want string }{
		{"bzImage", "kernel image"},
		{"lib/modules/6.1-test/kernel/a.ko", "module a"},
		{"lib/modules/6.1-test/modules.dep", "kernel/d.ko:\nkernel/b.ko:\nkernel/a.ko: kernel/b.ko\nkernel/fs/fat.ko:\nkernel/fs/vfat.ko: kernel/fs/fat.ko\nkernel/nls/nls_cp437.ko:\n"},
		{"lib/modules/6.1-test/modules.alias", "alias fs-vfat vfat\nalias pci:v1234* a\n"},
		{"lib/modules/6.1-test/modules.softdep", "softdep a pre: d\n"},
		{"lib/modules/6.1-test/modules.builtin", "kernel/nls/nls_utf8.ko\n"},
	} {
		if got := read(c.file); got != c.want {
			t.Errorf("%s = %q, want %q", c.file, got, c.want)
		}
	}

	// A module the system names must exist.
	_, err = BuildSystem(filepath.Join(t.TempDir(), "out"), SystemOptions{Tree: tree, ImageFile: "bzImage", Version: "6.1-test", Modules: []string{"nosuch"}})
	if err == nil || !strings.Contains(err.Error(), `module "nosuch": no such module`) {
		t.Errorf("unknown module: error %v", err)
	}
}
