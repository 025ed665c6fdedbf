package build

// This file defines StoreAdapter, the evaluator's view of a store.Store.

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/frazil/frazil/eval"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// StoreAdapter is an eval.Store that writes into a store.Store, so that
// the .drv files and sources an evaluation produces are valid paths the
// builder can use. Paths it returns are temp roots of this process.
type StoreAdapter struct {
	Store *store.Store
}

var _ eval.Store = (*StoreAdapter)(nil)

// AddText adds a text file (builtins.toFile, .drv files).
func (a *StoreAdapter) AddText(name string, contents []byte, refs []storepath.Path) (storepath.Path, error) {
	return a.Store.AddText(name, contents, refs)
}

// AddPath adds a host path, keeping what filter accepts. A path that is
// already valid is not copied again, so re-evaluating costs one hash of
// the source.
func (a *StoreAdapter) AddPath(src, name string, m storepath.Method, filter eval.PathFilter) (storepath.Path, nixhash.Hash, error) {
	p, narHash, err := eval.NewComputeStore().AddPath(src, name, m, filter)
	if err != nil {
		return "", narHash, err
	}
	valid, err := a.Store.IsValid(p)
	if err != nil {
		return "", narHash, err
	}
	if valid {
		return p, narHash, a.Store.AddTempRoot(p)
	}
	if filter != nil {
		tmp, err := os.MkdirTemp("", "frazil-src-")
		if err != nil {
			return "", narHash, err
		}
		defer os.RemoveAll(tmp)
		copied := filepath.Join(tmp, "src")
		if err := copyFiltered(src, copied, filter); err != nil {
			return "", narHash, fmt.Errorf("copy %s: %w", src, err)
		}
		src = copied
	}
	info, err := a.Store.AddTree(src, name, m, nil)
	if err != nil {
		return "", narHash, err
	}
	if info.Path != p {
		return "", narHash, fmt.Errorf("add %s: %s changed while it was added (got %s, want %s)", name, src, info.Path, p)
	}
	return p, narHash, nil
}

// RealPath returns where p is on this host.
func (a *StoreAdapter) RealPath(p storepath.Path) string { return a.Store.RealPath(p) }

// copyFiltered copies the tree at src to dst, skipping what filter
// rejects (and everything below a rejected directory).
func copyFiltered(src, dst string, filter eval.PathFilter) error {
	fi, err := os.Lstat(src)
	if err != nil {
		return err
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	case fi.IsDir():
		if err := os.Mkdir(dst, 0o755); err != nil {
			return err
		}
		entries, err := os.ReadDir(src)
		if err != nil {
			return err
		}
		for _, e := range entries {
			child := filepath.Join(src, e.Name())
			if !filter(child, fileType(e.Type())) {
				continue
			}
			if err := copyFiltered(child, filepath.Join(dst, e.Name()), filter); err != nil {
				return err
			}
		}
		return nil
	case fi.Mode().IsRegular():
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, fi.Mode().Perm()|0o600)
	}
	return fmt.Errorf("file '%s' has an unsupported type", src)
}

// fileType names a file type as builtins.filterSource does.
func fileType(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "regular"
	case m.IsDir():
		return "directory"
	case m&fs.ModeSymlink != 0:
		return "symlink"
	}
	return "unknown"
}
