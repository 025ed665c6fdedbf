package image

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestScanClosure(t *testing.T) {
	root := t.TempDir()
	store := filepath.Join(root, "nix/store")
	p := func(h byte, name string) string { return "/nix/store/" + strings.Repeat(string(h), 32) + "-" + name }
	a, b, c, d := p('a', "top"), p('b', "lib"), p('c', "dep"), p('d', "unrelated")
	for _, x := range []string{a, b, c, d} {
		os.MkdirAll(filepath.Join(root, x), 0o755)
	}
	// a refers to b by a symlink, b to c inside a file (hash part only), c to itself
	os.Symlink(b+"/lib.so", filepath.Join(root, a, "lib"))
	os.WriteFile(filepath.Join(root, b, "lib.so"), []byte("xx"+strings.Repeat("c", 32)+"yy"), 0o644)
	os.WriteFile(filepath.Join(root, c, "self"), []byte(c), 0o644)
	os.WriteFile(filepath.Join(root, d, "x"), []byte(a), 0o644) // refers to a, not reachable from a
	os.WriteFile(filepath.Join(store, ".links"), nil, 0o644)    // not a store path
	got, err := ScanClosure(root, []string{a})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{a, b, c}; !reflect.DeepEqual(got, want) {
		t.Errorf("closure = %q, want %q", got, want)
	}
	if _, err := ScanClosure(root, []string{p('e', "missing")}); err == nil {
		t.Error("closure of a path not in the store: no error")
	}
}
