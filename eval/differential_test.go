package eval

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
)

// TestDerivationsAgainstNix instantiates testdata/drv/corpus.nix with
// both this evaluator and nix-instantiate, each into its own store, and
// requires the same .drv paths, in the same order, with the same bytes,
// and the same other store paths (sources, text files).
func TestDerivationsAgainstNix(t *testing.T) {
	nix := testutil.RequireTool(t, "nix-instantiate", "make setup")
	corpus, _ := filepath.Abs("testdata/drv/corpus.nix")
	ours, nixStore := t.TempDir(), t.TempDir()

	ev := New(Options{Store: &DirStore{Root: ours}, Stderr: &strings.Builder{}})
	v, err := ev.EvalFile(corpus)
	if err != nil {
		t.Fatal(err)
	}
	gotPaths, err := ev.Instantiate(v, NewArgs(nil))
	if err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(nix, "--store", nixStore, corpus)
	cmd.Env = append(os.Environ(), "NIX_STATE_DIR="+filepath.Join(nixStore, "state"))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nix-instantiate: %v", err)
	}
	wantPaths := strings.Fields(string(out))
	if strings.Join(gotPaths, "\n") != strings.Join(wantPaths, "\n") {
		t.Errorf("derivation paths differ:\n got %v\nwant %v", gotPaths, wantPaths)
	}
	gotFiles, wantFiles := storeEntries(t, ours), storeEntries(t, nixStore)
	for name := range wantFiles {
		if _, ok := gotFiles[name]; !ok {
			t.Errorf("store path %s made by Nix is missing from ours", name)
		}
	}
	for name, got := range gotFiles {
		want, ok := wantFiles[name]
		switch {
		case !ok:
			t.Errorf("store path %s is not made by Nix", name)
		case strings.HasSuffix(name, ".drv") && got != want:
			t.Errorf("%s differs:\n got %s\nwant %s", name, got, want)
		}
	}
	if len(gotPaths) < 15 {
		t.Errorf("only %d derivations instantiated; the corpus has more", len(gotPaths))
	}
}

// storeEntries maps the names in root/nix/store to the contents of the
// regular files among them.
func storeEntries(t *testing.T, root string) map[string]string {
	t.Helper()
	dir := filepath.Join(root, "nix", "store")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		names = append(names, e.Name())
		if e.Type().IsRegular() {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			out[e.Name()] = string(b)
		} else {
			out[e.Name()] = ""
		}
	}
	sort.Strings(names)
	return out
}
