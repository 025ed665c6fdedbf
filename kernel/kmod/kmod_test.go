package kmod

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func writeTree(t *testing.T, files map[string]string) string {
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestClosure(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"modules.dep": "kernel/a.ko: kernel/b.ko kernel/c.ko\nkernel/b.ko: kernel/c.ko\nkernel/c.ko:\n" +
			"kernel/virtio-net.ko: kernel/c.ko\nkernel/x1.ko:\nkernel/x2.ko:\n",
		"modules.alias":   "alias pci:v00001AF4d*sv* virtio_net\nalias crypto-x x2\nalias crypto-x x1\n",
		"modules.softdep": "softdep a pre: crypto-x nonexistent post: b\n",
		"modules.builtin": "kernel/fs/ext2/ext2.ko\n",
	})
	m, err := ReadModules(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		want []string
		got  string
	}{
		{[]string{"a"}, "kernel/x1.ko kernel/x2.ko kernel/c.ko kernel/b.ko kernel/a.ko"},
		{[]string{"b", "a"}, "kernel/c.ko kernel/b.ko kernel/x1.ko kernel/x2.ko kernel/a.ko"},
		{[]string{"pci:v00001AF4d00001000sv00001AF4"}, "kernel/c.ko kernel/virtio-net.ko"},
		{[]string{"virtio_net", "virtio-net"}, "kernel/c.ko kernel/virtio-net.ko"},
		{[]string{"ext2"}, ""},
	} {
		order, err := m.Closure(c.want)
		if err != nil {
			t.Errorf("Closure(%q): %v", c.want, err)
			continue
		}
		if got := strings.Join(order, " "); got != c.got {
			t.Errorf("Closure(%q) = %q, want %q", c.want, got, c.got)
		}
	}
	if _, err := m.Closure([]string{"nope"}); err == nil || !strings.Contains(err.Error(), `module "nope"`) {
		t.Errorf("Closure(nope) = %v", err)
	}
	if !slices.Equal(m.Deps("kernel/a.ko"), []string{"kernel/b.ko", "kernel/c.ko"}) {
		t.Errorf("Deps(a) = %q", m.Deps("kernel/a.ko"))
	}
}

func TestClosureMissingEntry(t *testing.T) {
	dir := writeTree(t, map[string]string{"modules.dep": "kernel/a.ko: kernel/gone.ko\n"})
	m, err := ReadModules(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Closure([]string{"a"}); err == nil || !strings.Contains(err.Error(), "module gone is needed but has no modules.dep entry") {
		t.Errorf("Closure = %v", err)
	}
}

func TestReadModulesNeedsDep(t *testing.T) {
	if _, err := ReadModules(t.TempDir()); err == nil {
		t.Error("a directory without modules.dep was accepted")
	}
}

func TestSoftPre(t *testing.T) {
	if got := SoftPre("pre: a b post: c pre: d"); !slices.Equal(got, []string{"a", "b", "d"}) {
		t.Errorf("SoftPre = %q", got)
	}
}

func FuzzClosure(f *testing.F) {
	f.Add("kernel/a.ko: kernel/b.ko\nkernel/b.ko: kernel/a.ko\n", "alias x* a\n", "softdep a pre: x1 post: b\n", "a")
	f.Add("a.ko:\n", "", "softdep a pre: a\n", "a")
	f.Fuzz(func(t *testing.T, dep, alias, soft, want string) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "modules.dep"), []byte(dep), 0o644)
		os.WriteFile(filepath.Join(dir, "modules.alias"), []byte(alias), 0o644)
		os.WriteFile(filepath.Join(dir, "modules.softdep"), []byte(soft), 0o644)
		m, err := ReadModules(dir)
		if err != nil {
			return
		}
		order, err := m.Closure(strings.Fields(want))
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, p := range order {
			if seen[p] {
				t.Fatalf("%q appears twice in %q", p, order)
			}
			seen[p] = true
		}
	})
}
