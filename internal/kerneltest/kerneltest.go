// Package kerneltest gives tests the kernel pinned in kernel/kernels.lock.json,
// downloaded with apt-get and imported once into a cache
// ($FRAZIL_KERNEL_CACHE, default ~/.cache/frazil/kernels).
package kerneltest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/kernel"
)

// LockPath is the repository's kernel lock file.
func LockPath() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "kernel", "kernels.lock.json")
}

// CacheDir is where kernels are downloaded and imported.
func CacheDir() string {
	if d := os.Getenv("FRAZIL_KERNEL_CACHE"); d != "" {
		return d
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "frazil", "kernels")
}

// Tree returns the imported kernel for a Debian architecture, or stops the
// test (skip, or fail under FRAZIL_STRICT=1) when apt-get is missing.
func Tree(t testing.TB, arch string) *kernel.Tree {
	t.Helper()
	testutil.RequireTool(t, "apt-get", "a Debian machine")
	lock, err := kernel.ReadLock(LockPath())
	if err != nil {
		t.Fatal(err)
	}
	e, err := lock.Entry(arch)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(CacheDir(), 0o755); err != nil {
		t.Fatal(err)
	}
	tree, err := kernel.Fetch(e, CacheDir())
	if err != nil {
		t.Fatal(err)
	}
	return tree
}
