package pkgs_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/eval"
)

// evalString evaluates expr (in the repository root) to a string without
// writing anything.
func evalString(t *testing.T, expr string) (string, error) {
	t.Helper()
	ev := eval.New(eval.Options{Stderr: &testWriter{t: t}})
	p, err := ev.ParseString(expr, "«test»", repoRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	v, err := ev.Eval(p)
	if err != nil {
		return "", err
	}
	if err := ev.ForceDeep(v); err != nil {
		return "", err
	}
	s, err := ev.Print(v)
	return strings.Trim(s, `"`), err
}

// TestCrossModel checks the cross model at the derivation level: every
// target's derivations build on the build machine, with the target's
// GOARCH, sharing the build machine's toolchain, modules and makebb.
func TestCrossModel(t *testing.T) {
	native := func(attr string) string {
		s, err := evalString(t, `(import ./pkgs { system = "x86_64-linux"; buildSystem = "x86_64-linux"; }).`+attr)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	for system, goarch := range map[string]string{"x86_64-linux": "amd64", "aarch64-linux": "arm64", "i686-linux": "386"} {
		set := `(import ./pkgs { system = "` + system + `"; buildSystem = "x86_64-linux"; })`
		for expr, want := range map[string]string{
			set + ".frazil.system":        "x86_64-linux",
			set + ".uroot.system":         "x86_64-linux",
			set + ".frazil.GOARCH":        goarch,
			set + ".uroot-bb.GOARCH":      goarch,
			set + ".go.outPath":           native("go.outPath"),
			set + ".goModules.outPath":    native("goModules.outPath"),
			set + ".makebb.outPath":       native("makebb.outPath"),
			set + ".buildPackages.system": "x86_64-linux",
		} {
			if got, err := evalString(t, expr); err != nil || got != want {
				t.Errorf("%s = %q, %v; want %q", expr, got, err, want)
			}
		}
	}
}

func TestUnsupportedSystem(t *testing.T) {
	_, err := evalString(t, `(import ./pkgs { system = "riscv64-linux"; }).uroot.outPath`)
	if err == nil || !strings.Contains(err.Error(), "unsupported system 'riscv64-linux'") {
		t.Errorf("riscv64-linux: %v, want an unsupported-system error", err)
	}
}

// TestStaleLock: a go.sum that differs from the one the lock was made
// from is refused with a message saying what to run.
func TestStaleLock(t *testing.T) {
	dir := t.TempDir()
	lock, err := os.ReadFile(filepath.Join(repoRoot(t), "pkgs/go.lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	stale := strings.Replace(string(lock), `"goSumSha256": "`, `"goSumSha256": "0`, 1)
	os.WriteFile(filepath.Join(dir, "lock.json"), []byte(stale), 0o644)
	_, err = evalString(t, `(import ./pkgs { lockFile = `+dir+`/lock.json; }).goModules.outPath`)
	if err == nil || !strings.Contains(err.Error(), "scripts/update-pkgs-lock -only modules") {
		t.Errorf("stale lock: %v, want the update-pkgs-lock hint", err)
	}
}
