package store

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

func TestScanPath(t *testing.T) {
	dep := storepath.Path("/nix/store/0c7h1j5sbl2wsx1r8vm0pvcvmgb8ja0d-dep")
	self := storepath.Path("/nix/store/1c7h1j5sbl2wsx1r8vm0pvcvmgb8ja0d-out")
	other := storepath.Path("/nix/store/2c7h1j5sbl2wsx1r8vm0pvcvmgb8ja0d-other")
	out := filepath.Join(t.TempDir(), "out")
	must(t, os.MkdirAll(filepath.Join(out, "bin"), 0o755))
	must(t, os.WriteFile(filepath.Join(out, "bin/prog"), []byte("#!"+string(dep)+"/bin/sh\nexec "+string(self)+"/x\n"), 0o755))
	h, size, refs, err := ScanPath(out, []storepath.Path{other, self, dep})
	must(t, err)
	if want := []storepath.Path{dep, self}; !reflect.DeepEqual(refs, want) {
		t.Errorf("refs = %v, want %v", refs, want)
	}
	data := narOf(t, out)
	if !h.Equal(nixhash.Sum(nixhash.SHA256, data)) || size != uint64(len(data)) {
		t.Errorf("hash %s size %d, want the NAR's %s %d", h, size, nixhash.Sum(nixhash.SHA256, data), len(data))
	}
}
