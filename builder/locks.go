package builder

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"syscall"

	"github.com/frazil/frazil/store/storepath"
)

// lockPaths takes the build locks of ps, in sorted order so that two
// builds never wait for each other. The locks are flocks on
// R/nix/var/frazil/locks/<hash part>.lock: two builds of one output, in
// this process or another, take turns, and a killed build's locks go with
// it.
func (b *Builder) lockPaths(ps []storepath.Path) (release func(), err error) {
	dir := filepath.Join(b.store.Root(), "nix/var/frazil/locks")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("lock outputs: %w", err)
	}
	sorted := append([]storepath.Path(nil), ps...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i] < sorted[j] })
	var files []*os.File
	release = func() {
		for _, f := range files {
			f.Close()
		}
	}
	for i, p := range sorted {
		if i > 0 && p == sorted[i-1] {
			continue
		}
		f, err := os.OpenFile(filepath.Join(dir, p.HashPart()+".lock"), os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			release()
			return nil, fmt.Errorf("lock %s: %w", p, err)
		}
		files = append(files, f)
		for {
			err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
			if !errors.Is(err, syscall.EINTR) {
				break
			}
		}
		if err != nil {
			release()
			return nil, fmt.Errorf("lock %s: %w", p, err)
		}
	}
	return release, nil
}

// syncDir fsyncs a directory, making renames in it durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}

// removeTree deletes a tree that may contain read-only directories.
func removeTree(p string) error {
	filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(path, 0o755)
		}
		return nil
	})
	if err := os.RemoveAll(p); err != nil {
		return fmt.Errorf("remove %s: %w", p, err)
	}
	return nil
}
