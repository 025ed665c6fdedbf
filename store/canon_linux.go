package store

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// Canonicalise gives the tree at p the metadata of a store path: mode 0444
// for files, 0555 for executables (owner execute bit set) and directories,
// no setuid/setgid/sticky bits, and mtime 1 (1970-01-01T00:00:01Z) on
// everything including symlinks. The builder calls it on outputs before
// Register; adds call it themselves.
func Canonicalise(p string) error {
	return filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("canonicalise %s: %w", path, err)
		}
		if d.Type()&fs.ModeSymlink == 0 {
			fi, err := d.Info()
			if err != nil {
				return fmt.Errorf("canonicalise %s: %w", path, err)
			}
			mode := os.FileMode(0o444)
			if fi.IsDir() || fi.Mode()&0o100 != 0 {
				mode = 0o555
			}
			if fi.Mode()&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky) != mode {
				if err := os.Chmod(path, mode); err != nil {
					return fmt.Errorf("canonicalise %s: %w", path, err)
				}
			}
		}
		ts := []unix.Timespec{{Nsec: unix.UTIME_OMIT}, {Sec: 1}}
		if err := unix.UtimesNanoAt(unix.AT_FDCWD, path, ts, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			return fmt.Errorf("canonicalise %s: %w", path, err)
		}
		return nil
	})
}

// syncFS flushes everything written to the filesystem holding dir: one
// syncfs(2) instead of an fsync per file of a large tree.
func syncFS(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := unix.Syncfs(int(f.Fd())); err != nil {
		return fmt.Errorf("syncfs %s: %w", dir, err)
	}
	return nil
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

// removeTree deletes a (possibly read-only) tree and returns the bytes
// its regular files and symlinks held.
func removeTree(p string) (uint64, error) {
	var freed uint64
	err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return os.Chmod(path, 0o755)
		}
		if fi, err := d.Info(); err == nil {
			freed += uint64(fi.Size())
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("remove %s: %w", p, err)
	}
	if err := os.RemoveAll(p); err != nil {
		return 0, fmt.Errorf("remove %s: %w", p, err)
	}
	return freed, nil
}
