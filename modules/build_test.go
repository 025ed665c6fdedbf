package modules

import (
	"bytes"
	"compress/gzip"
	"debug/elf"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/u-root/u-root/pkg/cpio"

	"github.com/frazil/frazil/init/activation"
	"github.com/frazil/frazil/init/stage1"
	"github.com/frazil/frazil/init/supervisor"
	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/kernel"
	"github.com/frazil/frazil/kernel/kmod"
	"github.com/frazil/frazil/rootfs/toplevel"
	frazilstore "github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

var elfMachine = map[string]elf.Machine{"x86_64-linux": elf.EM_X86_64, "aarch64-linux": elf.EM_AARCH64, "i686-linux": elf.EM_386}

// testStore is the store the build test shares between examples, platforms
// and runs: $FRAZIL_TEST_STORE, else a directory in the user's cache. The
// paths are content-addressed, so a store left by an earlier run only saves
// building what did not change.
func testStore(t *testing.T) string {
	if d := os.Getenv("FRAZIL_TEST_STORE"); d != "" {
		return d
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return t.TempDir()
	}
	return filepath.Join(cache, "frazil", "modules-test-store")
}

// TestBuildExamples builds every example for every platform with
// `frazil rebuild build` into one store and checks the toplevels' files.
func TestBuildExamples(t *testing.T) {
	root := repoRoot(t)
	if _, err := os.Stat(filepath.Join(root, "pkgs/default.nix")); err != nil {
		t.Skip("the package set (pkgs/default.nix) is not in this tree yet")
	}
	testutil.RequireRoot(t)
	if testing.Short() {
		t.Skip("building systems takes minutes")
	}
	bin := filepath.Join(t.TempDir(), "frazil")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/frazil").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	store := testStore(t)
	lock, err := kernel.ReadLock(filepath.Join(root, "kernel/kernels.lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, sys := range systems {
		for _, ex := range examples {
			t.Run(ex+"/"+sys, func(t *testing.T) {
				link := filepath.Join(t.TempDir(), "result")
				cmd := exec.Command(bin, "rebuild", "build", "--store", store, "-I", "frazil="+root,
					"-f", exampleFile(t, ex), "--system", sys, "-o", link, "-j", "2")
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("frazil rebuild build: %v\n%s", err, tail(stderr.String(), 40))
				}
				top := strings.TrimSpace(stdout.String())
				if dest, err := os.Readlink(link); err != nil || dest != filepath.Join(store, top) {
					t.Errorf("result -> %q (%v), want %s", dest, err, filepath.Join(store, top))
				}
				e, _ := lock.Entry(debArch[sys])
				checkToplevel(t, store, top, sys, e)
			})
		}
	}
}

func tail(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// checkToplevel checks a built toplevel's entries.
func checkToplevel(t *testing.T, store, top, sys string, k kernel.LockEntry) {
	t.Helper()
	real := func(p string) string { return resolveIn(t, store, p) }
	readText := func(p string) string {
		b, err := os.ReadFile(real(p))
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
		return string(b)
	}
	if got := readText(top + "/system"); got != sys {
		t.Errorf("system = %q, want %q", got, sys)
	}
	if got := readText(top + "/frazil-version"); got == "" {
		t.Error("frazil-version is empty")
	}
	if got := readText(top + "/kernel-params"); !strings.Contains(got, "console=") || strings.Contains(got, "init=") {
		t.Errorf("kernel-params = %q", got)
	}
	checkELF(t, real(top+"/init"), sys)
	checkELF(t, real(top+"/sw/bin/sh"), sys)
	if st, err := os.Stat(real(top + "/kernel")); err != nil || st.Size() < 1<<20 {
		t.Errorf("kernel: %v, %v", st, err)
	}
	if _, err := os.Stat(real(top + "/kernel-modules/" + k.KernelVersion + "/modules.dep")); err != nil {
		t.Errorf("kernel-modules: %v", err)
	}
	b, err := toplevel.ReadBootspec(real(top))
	if err != nil {
		t.Fatal(err)
	}
	if b.Toplevel != top || b.Init != top+"/init" || b.System != sys || !strings.HasSuffix(path.Dir(b.Kernel), "-linux-"+k.KernelVersion+"-system") {
		t.Errorf("boot.json = %+v", b)
	}
	specs, err := supervisor.Load(real(top + "/services.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range specs {
		// /run/current-system is the toplevel once the system runs (the
		// console shell goes through it to follow switches).
		prog := s.Exec[0]
		if rest, ok := strings.CutPrefix(prog, "/run/current-system/"); ok {
			prog = top + "/" + rest
		}
		checkELFOrScript(t, store, prog, sys)
	}
	data, err := activation.Load(real(top + "/activation.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The system carries the modules PID 1 loads, not the kernel
	// package's whole module tree (hundreds of MiB).
	mods, err := kmod.ReadModules(real(top + "/kernel-modules/" + k.KernelVersion))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mods.Closure(data.KernelModules); err != nil {
		t.Errorf("kernel-modules lacks what activation.json loads: %v", err)
	}
	for _, p := range storeClosure(t, store, top) {
		if string(p) == k.StorePath {
			t.Errorf("the closure holds the whole kernel package %s", p)
		}
	}
	if got := readText(top + "/etc/hostname"); got != data.HostName+"\n" {
		t.Errorf("etc/hostname = %q, want %q", got, data.HostName)
	}
	checkInitrd(t, real(top+"/initrd"), sys, k)
}

// storeClosure returns the closure of p in the store under dir.
func storeClosure(t *testing.T, dir, p string) []storepath.Path {
	t.Helper()
	s, err := frazilstore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	closure, err := s.Closure([]storepath.Path{storepath.Path(p)})
	if err != nil {
		t.Fatal(err)
	}
	return closure
}

// resolveIn resolves a logical path (absolute, with symlinks whose
// targets are logical paths) to the real path under root.
func resolveIn(t *testing.T, root, p string) string {
	t.Helper()
	parts := strings.Split(strings.TrimPrefix(path.Clean(p), "/"), "/")
	cur := "/"
	for hops := 0; len(parts) > 0; {
		next := path.Join(cur, parts[0])
		parts = parts[1:]
		dest, err := os.Readlink(filepath.Join(root, next))
		if err != nil {
			cur = next
			continue
		}
		if hops++; hops > 40 {
			t.Fatalf("%s: too many symlinks", p)
		}
		if !path.IsAbs(dest) {
			dest = path.Join(cur, dest)
		}
		parts = append(strings.Split(strings.TrimPrefix(path.Clean(dest), "/"), "/"), parts...)
		cur = "/"
	}
	return filepath.Join(root, cur)
}

func checkELF(t *testing.T, file, sys string) {
	t.Helper()
	f, err := elf.Open(file)
	if err != nil {
		t.Errorf("%s: %v", file, err)
		return
	}
	defer f.Close()
	if f.Machine != elfMachine[sys] {
		t.Errorf("%s is for %v, want %v", file, f.Machine, elfMachine[sys])
	}
}

// checkELFOrScript checks a service's program: a binary for the platform,
// or a script whose interpreter is one.
func checkELFOrScript(t *testing.T, store, prog, sys string) {
	t.Helper()
	file := resolveIn(t, store, prog)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Errorf("service program: %v", err)
		return
	}
	if bytes.HasPrefix(b, []byte("#!")) {
		interp := strings.Fields(strings.SplitN(string(b[2:]), "\n", 2)[0])[0]
		if !strings.HasPrefix(interp, "/nix/store/") {
			t.Errorf("%s: interpreter %s is not in the store", prog, interp)
			return
		}
		checkELF(t, resolveIn(t, store, interp), sys)
		return
	}
	checkELF(t, file, sys)
}

// checkInitrd decompresses the initrd and checks /init and stage1.json.
func checkInitrd(t *testing.T, file, sys string, k kernel.LockEntry) {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var r io.Reader
	switch {
	case bytes.HasPrefix(raw, []byte{0x1f, 0x8b}):
		if r, err = gzip.NewReader(bytes.NewReader(raw)); err != nil {
			t.Fatal(err)
		}
	case bytes.HasPrefix(raw, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		zr, err := zstd.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		defer zr.Close()
		r = zr
	default:
		r = bytes.NewReader(raw)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := cpio.ReadAllRecords(cpio.Newc.Reader(bytes.NewReader(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, rec := range recs {
		b, _ := io.ReadAll(io.NewSectionReader(rec.ReaderAt, 0, int64(rec.FileSize)))
		files[rec.Name] = b
	}
	initBin := filepath.Join(t.TempDir(), "init")
	os.WriteFile(initBin, files["init"], 0o755)
	checkELF(t, initBin, sys)
	cfg, err := stage1.ParseConfig(files["etc/frazil/stage1.json"])
	if err != nil {
		t.Fatal(err)
	}
	if cfg.KernelVersion != k.KernelVersion || len(cfg.Modules) == 0 {
		t.Errorf("stage1.json: kernel %s, modules %q; want kernel %s and some modules", cfg.KernelVersion, cfg.Modules, k.KernelVersion)
	}
	for _, m := range cfg.Modules {
		if _, ok := files["lib/modules/"+cfg.KernelVersion+"/"+m]; !ok {
			t.Errorf("initrd lacks module %s", m)
		}
	}
}
