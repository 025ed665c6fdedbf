package pkgs_test

import (
	"debug/elf"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/frazil/frazil/build"
	"github.com/frazil/frazil/builder"
	"github.com/frazil/frazil/store/storepath"
)

// elfMachines are the ELF machines of the targets.
var elfMachines = map[string]elf.Machine{
	"x86_64-linux":  elf.EM_X86_64,
	"aarch64-linux": elf.EM_AARCH64,
	"i686-linux":    elf.EM_386,
}

// runsHere reports whether binaries of system run on this machine.
func runsHere(system string) bool {
	return system == hostSystem || hostSystem == "x86_64-linux" && system == "i686-linux"
}

// canExec reports whether the kernel runs the binary at p (an x86-64
// kernel may lack 32-bit emulation).
func canExec(p string) bool {
	err := (&exec.Cmd{Path: p, Args: []string{"true"}}).Run()
	return !errors.Is(err, syscall.ENOEXEC)
}

// checkELF checks that p is a static executable for system.
func checkELF(t *testing.T, p, system string) {
	t.Helper()
	f, err := elf.Open(p)
	if err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	defer f.Close()
	if f.Machine != elfMachines[system] {
		t.Errorf("%s: ELF machine %v, want %v", p, f.Machine, elfMachines[system])
	}
	for _, prog := range f.Progs {
		if prog.Type == elf.PT_INTERP {
			t.Errorf("%s has an interpreter: not static", p)
		}
	}
}

// run runs the binary at path with argv[0] name and returns its combined
// output.
func run(t *testing.T, path, name string, args ...string) string {
	t.Helper()
	cmd := &exec.Cmd{Path: path, Args: append([]string{name}, args...)}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// buildSystemAttrs builds attributes of the package set of system and
// returns their "out" paths, in order.
func buildSystemAttrs(t *testing.T, system string, attrs ...string) []storepath.Path {
	t.Helper()
	outs := mustBuild(t, withPkgs(t, system, "[ "+strings.Join(attrs, " ")+" ]"))
	var ps []storepath.Path
	for _, o := range outs {
		ps = append(ps, o.Outputs["out"])
	}
	return ps
}

// TestPackages builds uroot and frazil for every target (`frazil build
// pkgs -A uroot --system S`), checks the binaries' ELF machine, and runs
// those this machine can run.
func TestPackages(t *testing.T) {
	for _, system := range systems {
		t.Run(system, func(t *testing.T) {
			start := time.Now()
			outs := buildSystemAttrs(t, system, "uroot", "frazil")
			t.Logf("%s: uroot and frazil in %s", system, time.Since(start).Round(time.Second))
			uroot, frazil := realPath(t, outs[0]), realPath(t, outs[1])
			bbLink, err := os.Readlink(filepath.Join(uroot, "bin/bb"))
			if err != nil {
				t.Fatal(err)
			}
			bb := sharedStore(t).Root() + bbLink // an absolute /nix/store link
			checkELF(t, bb, system)
			for _, b := range []string{"frazil", "frazil-init", "frazil-stage1"} {
				checkELF(t, filepath.Join(frazil, "bin", b), system)
			}
			// Each command links straight to the binary: bb runs the
			// command named by the last link before it, so a chain such
			// as sh -> gosh -> bb -> …/bb would run "bb".
			for _, c := range []string{"gosh", "ls", "cp", "mkdir", "ln", "cat"} {
				if target, err := os.Readlink(filepath.Join(uroot, "bin", c)); err != nil || target != bbLink {
					t.Errorf("bin/%s -> %q, %v; want %s", c, target, err, bbLink)
				}
			}
			if !runsHere(system) {
				return
			}
			if system != hostSystem && !canExec(bb) {
				t.Logf("this kernel cannot run %s binaries (no 32-bit emulation): not running them", system)
				return
			}
			if got := run(t, bb, "gosh", "-c", "echo $((6*7)) | cat"); got != "42\n" {
				t.Errorf("gosh -c: %q, want 42", got)
			}
			// The system's /bin/sh: a link to uroot's gosh, itself a link
			// to bb, run as a script's interpreter.
			dir := t.TempDir()
			if err := os.Symlink(bb, filepath.Join(dir, "gosh")); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(dir, "gosh"), filepath.Join(dir, "sh")); err != nil {
				t.Fatal(err)
			}
			script := filepath.Join(dir, "script")
			if err := os.WriteFile(script, []byte("#!"+filepath.Join(dir, "sh")+"\necho script $((6*7))\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			if got := run(t, script, "script"); got != "script 42\n" {
				t.Errorf("a script run by sh -> gosh -> bb printed %q, want \"script 42\"", got)
			}
			if got := run(t, filepath.Join(frazil, "bin/frazil"), "frazil", "help"); !strings.Contains(got, "commands:") {
				t.Errorf("frazil help: %q", got)
			}
		})
	}
}

// packageAttrs are the packages of the set (the trivial builders are
// functions; writeText stands for them). A cross set shares the build
// machine's tools (go, goModules, indir, makebb), so crossAttrs are the
// ones of its own.
var (
	packageAttrs = []string{"go", "goModules", "indir", "makebb", "uroot-bb", "uroot", "frazil", `(writeText "check" "x")`}
	crossAttrs   = []string{"uroot-bb", "uroot", "frazil"}
)

// attrsOf returns the packages a target has of its own.
func attrsOf(system string) []string {
	if system == hostSystem {
		return packageAttrs
	}
	return crossAttrs
}

// TestCheck rebuilds every package of every target with --check: the
// builds are reproducible (fixed outputs are fetched again and compared
// with their hash). The cross targets' rebuilds (about 10 minutes of CPU
// each) run when FRAZIL_PKGS_CHECK=all.
func TestCheck(t *testing.T) {
	for _, system := range systems {
		t.Run(system, func(t *testing.T) {
			if system != hostSystem && os.Getenv("FRAZIL_PKGS_CHECK") != "all" {
				t.Skipf("--check of the %s packages runs with FRAZIL_PKGS_CHECK=all", system)
			}
			attrs := attrsOf(system)
			expr := withPkgs(t, system, "[ "+strings.Join(attrs, " ")+" ]")
			mustBuild(t, expr)
			start := time.Now()
			_, ev, err := buildIn(t, sharedStore(t), expr, build.Options{Builder: builder.Options{Check: true}})
			if err != nil {
				t.Fatalf("--check: %v", err)
			}
			t.Logf("%s: %d packages checked in %s", system, ev.count(builder.BuildFinished), time.Since(start).Round(time.Second))
			if got := ev.count(builder.BuildFinished); got != len(attrs) {
				t.Errorf("%d derivations rebuilt, want %d", got, len(attrs))
			}
		})
	}
}
