// Package imagetest builds what image and VM tests boot: the pinned Debian kernel,
// a tiny initrd whose /init prints the kernel command line (so a test sees
// which generation booted) and powers off, and hand-assembled system
// toplevels in a store directory, laid out as docs/architecture.md says.
// It stands in for the system build until configurations are evaluated.
package imagetest

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/kernel"
	"github.com/frazil/frazil/store/storepath"
)

var (
	kernelMu   sync.Mutex
	kernelTree *kernel.Tree
)

// KernelTree returns the imported tree (package kernel) of the amd64 kernel
// pinned in kernel/kernels.lock.json, downloading and importing it once into
// the same cache `frazil kernel fetch` uses.
func KernelTree(t testing.TB) *kernel.Tree {
	t.Helper()
	kernelMu.Lock()
	defer kernelMu.Unlock()
	if kernelTree != nil {
		return kernelTree
	}
	_, self, _, _ := runtime.Caller(0)
	lock, err := kernel.ReadLock(filepath.Join(filepath.Dir(self), "..", "..", "kernel", "kernels.lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := lock.Entry("amd64")
	if err != nil {
		t.Fatal(err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	cache = filepath.Join(cache, "frazil", "kernels")
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	tree, err := kernel.Fetch(e, cache)
	if err != nil {
		testutil.Missing(t, "test kernel: %v", err)
	}
	kernelTree = tree
	return tree
}

// Kernel returns the path of the test kernel image.
func Kernel(t testing.TB) string {
	t.Helper()
	tree := KernelTree(t)
	return filepath.Join(tree.Dir, tree.Image)
}

// rootModules are loaded, in this order, by the test init before it mounts
// the root file system (Debian builds virtio and ext4 as modules).
var rootModules = []string{
	"drivers/virtio/virtio_ring.ko", "drivers/virtio/virtio.ko", "drivers/virtio/virtio_pci_modern_dev.ko",
	"drivers/virtio/virtio_pci_legacy_dev.ko", "drivers/virtio/virtio_pci.ko", "drivers/block/virtio_blk.ko",
	"lib/crc16.ko", "fs/mbcache.ko", "fs/jbd2/jbd2.ko", "crypto/crc32c_generic.ko", "fs/ext4/ext4.ko",
}

var (
	initOnce sync.Once
	initBin  []byte
	initErr  error
)

// Initrd returns a newc cpio holding the test /init and, with modules, the
// kernel modules it needs to mount the root file system.
func Initrd(t testing.TB, modules bool) []byte {
	t.Helper()
	initOnce.Do(func() {
		_, self, _, _ := runtime.Caller(0)
		out := filepath.Join(os.TempDir(), fmt.Sprintf("frazil-testinit-%d", os.Getpid()))
		cmd := exec.Command("go", "build", "-trimpath", "-o", out, "./testinit")
		cmd.Dir = filepath.Dir(self)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
		if o, err := cmd.CombinedOutput(); err != nil {
			initErr = fmt.Errorf("go build testinit: %v\n%s", err, o)
			return
		}
		initBin, initErr = os.ReadFile(out)
		os.Remove(out)
	})
	if initErr != nil {
		t.Fatal(initErr)
	}
	var w cpioWriter
	w.dir("dev", 0o755)
	w.file("init", initBin, 0o755)
	if modules {
		tree := KernelTree(t)
		modDir := filepath.Join(tree.Dir, "lib", "modules", tree.Version, "kernel")
		w.dir("modules", 0o755)
		var order []string
		for _, mod := range rootModules {
			b, err := os.ReadFile(filepath.Join(modDir, mod))
			if err != nil {
				t.Fatal(err)
			}
			w.file("modules/"+filepath.Base(mod), b, 0o644)
			order = append(order, filepath.Base(mod))
		}
		w.file("modules/order", []byte(strings.Join(order, "\n")+"\n"), 0o644)
	}
	return w.close()
}

// cpioWriter writes the newc format the kernel unpacks.
type cpioWriter struct {
	buf bytes.Buffer
	ino int
}

func (w *cpioWriter) entry(name string, mode uint32, data []byte) {
	w.ino++
	fmt.Fprintf(&w.buf, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		w.ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name)+1, 0)
	w.buf.WriteString(name + "\x00")
	w.pad()
	w.buf.Write(data)
	w.pad()
}

func (w *cpioWriter) pad() {
	for w.buf.Len()%4 != 0 {
		w.buf.WriteByte(0)
	}
}

func (w *cpioWriter) dir(name string, perm uint32)               { w.entry(name, 0o040000|perm, nil) }
func (w *cpioWriter) file(name string, data []byte, perm uint32) { w.entry(name, 0o100000|perm, data) }

func (w *cpioWriter) close() []byte {
	w.entry("TRAILER!!!", 0, nil)
	return w.buf.Bytes()
}

// A Generation describes one hand-assembled toplevel.
type Generation struct {
	Label  string // frazil-version, and part of the name
	Params string // kernel-params
	Kernel string // host path of the kernel image
	Initrd []byte
}

// addFile writes a store path holding one file (name inside it) and
// returns the store path; its hash derives from the contents.
func addFile(t testing.TB, storeRoot, pkgName, file string, data []byte, mode os.FileMode) string {
	t.Helper()
	h := sha256.Sum256(append([]byte(pkgName+"\x00"), data...))
	p := string(storepath.Make("source", h[:], pkgName))
	dir := filepath.Join(storeRoot, p)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, file), data, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

// Toplevel writes a toplevel for g into the store under storeRoot and
// returns its logical store path.
func Toplevel(t testing.TB, storeRoot string, g Generation) string {
	t.Helper()
	kdata, err := os.ReadFile(g.Kernel)
	if err != nil {
		t.Fatal(err)
	}
	kpkg := addFile(t, storeRoot, "linux-test", "bzImage", kdata, 0o444)
	ipkg := addFile(t, storeRoot, "initrd-test", "initrd", g.Initrd, 0o444)
	ipkg1 := addFile(t, storeRoot, "frazil-init", "init", []byte("#!/placeholder\n"), 0o555)
	files := map[string]string{"kernel-params": g.Params, "system": "x86_64-linux", "frazil-version": g.Label}
	h := sha256.Sum256([]byte(kpkg + ipkg + g.Params + g.Label))
	top := string(storepath.Make("source", h[:], "frazil-system-test-"+g.Label))
	dir := filepath.Join(storeRoot, top)
	os.MkdirAll(dir, 0o755)
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o444); err != nil {
			t.Fatal(err)
		}
	}
	for n, target := range map[string]string{"kernel": kpkg + "/bzImage", "initrd": ipkg + "/initrd", "init": ipkg1 + "/init"} {
		if err := os.Symlink(target, filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	return top
}
