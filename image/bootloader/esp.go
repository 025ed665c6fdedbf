package bootloader

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/frazil/frazil/internal/faultpoint"
)

// An ESP is the EFI system partition (or any /boot file system) a loader
// and its menu live on. Names are slash-separated paths from its root.
type ESP interface {
	// WriteFile stores the contents of r as name durably and atomically:
	// either the old file or the new one is there after a crash.
	WriteFile(name string, r io.Reader) error
	// Exists reports whether name exists.
	Exists(name string) (bool, error)
	// List returns the names of the files in dir, sorted; none if dir is missing.
	List(dir string) ([]string, error)
	// Remove deletes the file name; a missing file is not an error.
	Remove(name string) error
}

// DirESP is an ESP mounted (or staged) at a directory.
type DirESP string

func (d DirESP) path(name string) string {
	return filepath.Join(string(d), filepath.FromSlash(path.Clean("/"+name)))
}

// WriteFile writes to a temporary file beside name, fsyncs it, renames it
// over name and fsyncs the directory.
func (d DirESP) WriteFile(name string, r io.Reader) error {
	p := d.path(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("esp %s: %w", name, err)
	}
	var f *os.File
	var tmp string
	for i := 0; ; i++ {
		tmp = p + ".tmp" + strconv.Itoa(i)
		var err error
		f, err = os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("esp %s: %w", name, err)
		}
		break
	}
	_, err := io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		faultpoint.Hit("bootloader.esp.tmp-written")
		err = os.Rename(tmp, p)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("esp %s: %w", name, err)
	}
	return syncDir(filepath.Dir(p))
}

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

// Exists reports whether name exists.
func (d DirESP) Exists(name string) (bool, error) {
	_, err := os.Stat(d.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// List returns the file names in dir.
func (d DirESP) List(dir string) ([]string, error) {
	es, err := os.ReadDir(d.path(dir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("esp %s: %w", dir, err)
	}
	var names []string
	for _, e := range es {
		if !e.IsDir() {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// Remove deletes name.
func (d DirESP) Remove(name string) error {
	err := os.Remove(d.path(name))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("esp %s: %w", name, err)
	}
	return nil
}
