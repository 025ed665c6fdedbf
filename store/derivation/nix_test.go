package derivation

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/store/storepath"
)

// TestNixCorpus is the differential test against Nix 2.8: it instantiates
// testdata/corpus.nix into a chroot store, then for every .drv Nix wrote
// checks that Frazil prints it back byte for byte, gives it the same drv
// path, and computes the same output paths from scratch.
func TestNixCorpus(t *testing.T) {
	nixInstantiate := testutil.RequireTool(t, "nix-instantiate", "make setup")
	store := t.TempDir()
	cmd := exec.Command(nixInstantiate, "--store", store, "testdata/corpus.nix")
	cmd.Env = append(os.Environ(), "NIX_REMOTE=", "HOME="+t.TempDir())
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nix-instantiate: %v", err)
	}
	top := strings.Fields(string(out))
	if len(top) < 100 {
		t.Fatalf("nix-instantiate printed %d drv paths, want at least 100", len(top))
	}

	files, err := filepath.Glob(filepath.Join(store, "nix/store/*.drv"))
	if err != nil {
		t.Fatal(err)
	}
	load := func(p string) (*Derivation, error) {
		return ReadFile(filepath.Join(store, p), storepath.Path(p))
	}
	cache := map[string][]byte{}
	for _, f := range files {
		checkNixDrv(t, f, storepath.Path(storepath.Dir+"/"+filepath.Base(f)), load, cache)
	}
	t.Logf("checked %d derivations written by Nix", len(files))
}

func checkNixDrv(t *testing.T, file string, drvPath storepath.Path, load Loader, cache map[string][]byte) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	d, err := ReadFile(file, drvPath)
	if err != nil {
		t.Errorf("%s: %v", drvPath, err)
		return
	}
	if got := d.ATerm(); string(got) != string(raw) {
		t.Errorf("%s: re-printed ATerm differs:\n got %q\nwant %q", drvPath, got, raw)
	}
	if got, err := d.DrvPath(); err != nil || got != drvPath {
		t.Errorf("%s: DrvPath = %s, %v", drvPath, got, err)
	}
	blank := d.Clone()
	for name := range blank.Outputs {
		blank.Outputs[name] = Output{HashAlgo: d.Outputs[name].HashAlgo, Hash: d.Outputs[name].Hash}
		delete(blank.Env, name)
	}
	if err := blank.FillOutputs(load, cache); err != nil {
		t.Errorf("%s: FillOutputs: %v", drvPath, err)
		return
	}
	for name, o := range d.Outputs {
		if got := blank.Outputs[name].Path; got != o.Path {
			t.Errorf("%s: output %s = %s, Nix says %s", drvPath, name, got, o.Path)
		}
	}
	if got := blank.ATerm(); string(got) != string(raw) {
		t.Errorf("%s: ATerm after FillOutputs differs:\n got %q\nwant %q", drvPath, got, raw)
	}
	if err := d.CheckOutputs(load, cache); err != nil {
		t.Errorf("%s: CheckOutputs: %v", drvPath, err)
	}
}
