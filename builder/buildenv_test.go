package builder

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/store/storepath"
)

// addPackage adds a tree of files (path -> contents; "->x" makes a
// symlink to x) to the store.
func (e *testEnv) addPackage(name string, files map[string]string) storepath.Path {
	e.t.Helper()
	dir := filepath.Join(e.t.TempDir(), name)
	for rel, contents := range files {
		p := filepath.Join(dir, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		var err error
		if target, ok := strings.CutPrefix(contents, "->"); ok {
			err = os.Symlink(target, p)
		} else {
			err = os.WriteFile(p, []byte(contents), 0o644)
		}
		if err != nil {
			e.t.Fatal(err)
		}
	}
	info, err := e.s.AddTree(dir, name, storepath.Recursive, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return info.Path
}

func TestBuildenv(t *testing.T) {
	e := newTestEnv(t)
	a := e.addPackage("a", map[string]string{"bin/a": "a", "share/doc/a": "doc a", "nix-support/setup-hook": "x", "manifest.nix": "m"})
	b := e.addPackage("b", map[string]string{"bin/b": "b", "share/doc/b": "doc b", "lib": "->" + string(a) + "/share"})
	c := e.addPackage("c", map[string]string{"bin/a": "c's a"})
	d := e.addPackage("d", map[string]string{"bin/d": "d", "nix-support/propagated-user-env-packages": string(b) + "\n"})
	inactive := e.addPackage("off", map[string]string{"bin/off": "off"})
	manifest, err := e.s.AddText("env-manifest.nix", []byte("[ ]"), nil)
	if err != nil {
		t.Fatal(err)
	}
	env := func(name, derivations string) storepath.Path {
		return e.drv(spec{name: name, builder: "builtin:buildenv", system: "builtin",
			srcs: []storepath.Path{a, b, c, d, inactive, manifest},
			env:  map[string]string{"derivations": derivations, "manifest": string(manifest)}})
	}
	pkgs := func(active string, prio string, ps ...storepath.Path) string {
		s := active + " " + prio + " " + string(rune('0'+len(ps)))
		for _, p := range ps {
			s += " " + string(p)
		}
		return s
	}

	t.Run("merge", func(t *testing.T) {
		drv := env("merged", pkgs("true", "5", a, b)+" "+pkgs("false", "5", inactive)+" "+pkgs("true", "3", c))
		if _, _, err := e.realise(Options{}, drv); err != nil {
			t.Fatal(err)
		}
		out := e.s.RealPath(e.out(drv))
		want := map[string]string{
			"bin/a":        string(c) + "/bin/a", // priority 3 beats 5
			"bin/b":        string(b) + "/bin/b",
			"share/doc/a":  string(a) + "/share/doc/a",
			"share/doc/b":  string(b) + "/share/doc/b",
			"lib":          string(b) + "/lib",
			"manifest.nix": string(manifest),
		}
		for rel, target := range want {
			if got, err := os.Readlink(filepath.Join(out, rel)); err != nil || got != target {
				t.Errorf("%s -> %q, %v; want %s", rel, got, err, target)
			}
		}
		for _, dir := range []string{"bin", "share", "share/doc"} {
			if fi, err := os.Lstat(filepath.Join(out, dir)); err != nil || !fi.IsDir() {
				t.Errorf("%s is not a directory: %v", dir, err)
			}
		}
		for _, absent := range []string{"bin/off", "nix-support"} {
			if _, err := os.Lstat(filepath.Join(out, absent)); err == nil {
				t.Errorf("%s is in the environment", absent)
			}
		}
		info, _ := e.s.QueryPathInfo(e.out(drv))
		if got := len(info.References); got != 4 {
			t.Errorf("references = %v, want a, b, c and the manifest", info.References)
		}
	})

	t.Run("propagated", func(t *testing.T) {
		drv := env("propagated", pkgs("true", "5", d))
		if _, _, err := e.realise(Options{}, drv); err != nil {
			t.Fatal(err)
		}
		out := e.s.RealPath(e.out(drv))
		for rel, target := range map[string]string{"bin/d": string(d) + "/bin/d", "bin/b": string(b) + "/bin/b"} {
			if got, err := os.Readlink(filepath.Join(out, rel)); err != nil || got != target {
				t.Errorf("%s -> %q, %v; want %s", rel, got, err, target)
			}
		}
	})

	t.Run("conflict", func(t *testing.T) {
		drv := env("conflict", pkgs("true", "5", a, c))
		_, _, err := e.realise(Options{}, drv)
		if err == nil || !strings.Contains(err.Error(), "have the same priority 5") ||
			!strings.Contains(err.Error(), string(a)+"/bin/a") || !strings.Contains(err.Error(), string(c)+"/bin/a") {
			t.Errorf("Realise error = %v, want a conflict between a and c", err)
		}
	})

	t.Run("malformed", func(t *testing.T) {
		drv := env("malformed", "true 5 3 "+string(a))
		if _, _, err := e.realise(Options{}, drv); err == nil || !strings.Contains(err.Error(), "malformed 'derivations'") {
			t.Errorf("Realise error = %v", err)
		}
	})
}
