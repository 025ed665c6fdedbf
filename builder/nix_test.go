package builder

import (
	"crypto/sha256"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// nixExpr builds a small graph with the test builder: multiple outputs
// referring to each other and to an input, a dependency on one output, a
// fixed output, a source from builtins.toFile.
const nixExpr = `
let
  tb = ./testbuilder;
  mk = args: derivation ({ system = "x86_64-linux"; builder = tb; } // args);
  dep = mk { name = "dep"; args = [ "mkdir" "$out" "write" "$out/f" "dep" ]; };
  multi = mk {
    name = "multi"; outputs = [ "out" "dev" "doc" ]; inherit dep;
    args = [ "mkdir" "$out" "write" "$out/f" "self $out dev $dev" "mkdir" "$dev" "write" "$dev/f" "dep $dep"
             "symlink" "$dep/f" "$dev/link" "write" "$doc" "doc" "chmod" "$doc" "755" ];
  };
  fod = mk { name = "fod"; outputHashAlgo = "sha256"; outputHash = builtins.hashString "sha256" "fixed\n";
             args = [ "write" "$out" "fixed\n" ]; };
  text = builtins.toFile "text.txt" "some text";
in mk {
  name = "top"; dev = multi.dev; inherit fod text;
  args = [ "mkdir" "$out" "copy" "$text" "$out/text" "write" "$out/refs" "$dev $fod" ];
}
`

// TestNixBuildsAlike instantiates and builds a graph with Nix 2.8, imports
// the derivations into a Frazil store, builds them there and checks that
// every output has the NAR hash and references Nix gave it.
func TestNixBuildsAlike(t *testing.T) {
	nixStore := testutil.RequireTool(t, "nix-store", "make setup")
	nixInstantiate := testutil.RequireTool(t, "nix-instantiate", "make setup")
	e := newTestEnv(t)
	dir := t.TempDir()
	b, err := os.ReadFile(testBuilder(t))
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "testbuilder"), b, 0o755)
	os.WriteFile(filepath.Join(dir, "graph.nix"), []byte(nixExpr), 0o644)
	nixRoot := t.TempDir()
	nix := func(tool string, args ...string) []string {
		t.Helper()
		cmd := exec.Command(tool, append([]string{"--store", nixRoot, "--option", "substituters", ""}, args...)...)
		cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "NIX_REMOTE=")
		out, err := cmd.Output()
		if err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			t.Fatalf("%s %v: %v\n%s", tool, args, err, stderr)
		}
		return strings.Fields(string(out))
	}
	top := nix(nixInstantiate, filepath.Join(dir, "graph.nix"))[0]

	// Import the derivations and sources into the Frazil store.
	for _, p := range nix(nixStore, "-q", "-R", top) {
		importNixPath(t, e, nixRoot, storepath.Path(p), nix(nixStore, "-q", "--references", p))
	}
	nix(nixStore, "--realise", top)
	if _, _, err := e.realise(Options{Jobs: 2}, storepath.Path(top)); err != nil {
		t.Fatal(err)
	}
	var outputs []string
	for _, drv := range nix(nixStore, "-q", "-R", top) {
		if strings.HasSuffix(drv, ".drv") {
			outputs = append(outputs, nix(nixStore, "-q", "--outputs", drv)...)
		}
	}
	if len(outputs) != 6 {
		t.Fatalf("outputs %v, want 6", outputs)
	}
	for _, out := range outputs {
		info, err := e.s.QueryPathInfo(storepath.Path(out))
		if err != nil {
			t.Errorf("%s: %v", out, err)
			continue
		}
		want, err := nixhash.Parse(nix(nixStore, "-q", "--hash", out)[0], 0)
		if err != nil {
			t.Fatal(err)
		}
		if !info.NarHash.Equal(want) {
			t.Errorf("%s: NAR hash %s, Nix built %s", out, info.NarHash, want)
		}
		var refs []string
		for _, r := range info.References {
			refs = append(refs, string(r))
		}
		nixRefs := nix(nixStore, "-q", "--references", out)
		sort.Strings(nixRefs)
		if got, want := strings.Join(refs, " "), strings.Join(nixRefs, " "); got != want {
			t.Errorf("%s: references %s, Nix found %s", out, got, want)
		}
	}
}

// importNixPath adds a .drv or source path of Nix's store to e's store
// and checks that it gets the same path.
func importNixPath(t *testing.T, e *testEnv, nixRoot string, p storepath.Path, refs []string) {
	t.Helper()
	var rs []storepath.Path
	for _, r := range refs {
		rs = append(rs, storepath.Path(r))
	}
	real := filepath.Join(nixRoot, string(p))
	var got storepath.Path
	b, _ := os.ReadFile(real)
	sum := sha256.Sum256(b)
	if tp, _ := storepath.MakeText(p.Name(), sum[:], rs); tp == p { // a text path
		var err error
		if got, err = e.s.AddText(p.Name(), b, rs); err != nil {
			t.Fatal(err)
		}
	} else {
		info, err := e.s.AddTree(real, p.Name(), storepath.Recursive, rs)
		if err != nil {
			t.Fatal(err)
		}
		got = info.Path
	}
	if got != p {
		t.Fatalf("imported %s as %s", p, got)
	}
}
