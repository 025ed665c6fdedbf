package eval

// This file defines the evaluator's view of the store (the Store
// interface) and two small implementations: one that only computes
// paths, and one that writes them under a directory.

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

const storeDir = storepath.Dir

// PathFilter decides whether a file below a path being added to the store
// is included. path is the absolute host path; typ is "regular",
// "directory", "symlink" or "unknown" (as for builtins.filterSource).
type PathFilter func(path, typ string) bool

// Store is everything the evaluator needs from a Nix store: computing
// (and, for a writable store, creating) store paths. The evaluator never
// imports package store; cmd/frazil passes an adapter.
type Store interface {
	// AddText writes a text file (builtins.toFile, .drv files) and
	// returns its path.
	AddText(name string, contents []byte, refs []storepath.Path) (storepath.Path, error)
	// AddPath copies a host path into the store (path literals used as
	// strings, builtins.path, filterSource) with the Recursive (NAR) or
	// Flat method, keeping only what filter accepts (nil: everything).
	// It returns the store path and the NAR hash of its contents.
	AddPath(src, name string, m storepath.Method, filter PathFilter) (storepath.Path, nixhash.Hash, error)
	// RealPath returns where a store path's contents are on this host.
	RealPath(p storepath.Path) string
}

// ComputeStore computes store paths without writing anything, like
// nix-instantiate --eval in read-only mode. Existing store paths are
// read under Root (default "/").
type ComputeStore struct {
	Root string
}

// NewComputeStore returns a store that only computes paths.
func NewComputeStore() *ComputeStore { return &ComputeStore{} }

// AddText computes the path of a text file.
func (*ComputeStore) AddText(name string, contents []byte, refs []storepath.Path) (storepath.Path, error) {
	sum := sha256.Sum256(contents)
	return storepath.MakeText(name, sum[:], refs)
}

// AddPath computes the path of a host path added with method m.
func (*ComputeStore) AddPath(src, name string, m storepath.Method, filter PathFilter) (storepath.Path, nixhash.Hash, error) {
	p, narHash, _, err := computePath(src, name, m, filter)
	return p, narHash, err
}

// RealPath returns where p is under the root.
func (c *ComputeStore) RealPath(p storepath.Path) string {
	if c.Root == "" {
		return string(p)
	}
	return filepath.Join(c.Root, string(p))
}

// computePath hashes src and returns its store path, its NAR hash and,
// for the flat method, its contents.
func computePath(src, name string, m storepath.Method, filter PathFilter) (storepath.Path, nixhash.Hash, []byte, error) {
	h := sha256.New()
	if err := writeNAR(h, src, filter); err != nil {
		return "", nixhash.Hash{}, nil, err
	}
	narHash := nixhash.Hash{Algo: nixhash.SHA256, Digest: h.Sum(nil)}
	if m == storepath.Recursive {
		p, err := storepath.MakeFixedOutput(storepath.Recursive, narHash, name, nil, false)
		return p, narHash, nil, err
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return "", nixhash.Hash{}, nil, err
	}
	p, err := storepath.MakeFixedOutput(storepath.Flat, nixhash.Sum(nixhash.SHA256, data), name, nil, false)
	return p, narHash, data, err
}

// DirStore is a store rooted at a directory: paths are computed exactly
// as Nix does and their contents written to Root/nix/store. It keeps no
// database; it stands in until the evaluator is connected to package
// store.
type DirStore struct {
	Root string
}

// AddText writes a text file into the store.
func (d *DirStore) AddText(name string, contents []byte, refs []storepath.Path) (storepath.Path, error) {
	p, err := (&ComputeStore{}).AddText(name, contents, refs)
	if err != nil {
		return "", err
	}
	return p, d.install(p, func(tmp string) error { return os.WriteFile(tmp, contents, 0o444) })
}

// AddPath copies a host path into the store.
func (d *DirStore) AddPath(src, name string, m storepath.Method, filter PathFilter) (storepath.Path, nixhash.Hash, error) {
	p, narHash, data, err := computePath(src, name, m, filter)
	if err != nil {
		return "", narHash, err
	}
	err = d.install(p, func(tmp string) error {
		if m == storepath.Flat {
			return os.WriteFile(tmp, data, 0o444)
		}
		return copyTree(src, tmp, filter)
	})
	return p, narHash, err
}

// RealPath returns where p is under the root.
func (d *DirStore) RealPath(p storepath.Path) string { return filepath.Join(d.Root, string(p)) }

// install creates p by writing a temporary path and renaming it.
func (d *DirStore) install(p storepath.Path, write func(tmp string) error) error {
	dst := d.RealPath(p)
	if _, err := os.Lstat(dst); err == nil {
		return nil
	}
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("add %s: %w", p, err)
	}
	tmp, err := os.MkdirTemp(dir, ".tmp-eval-")
	if err != nil {
		return fmt.Errorf("add %s: %w", p, err)
	}
	defer os.RemoveAll(tmp)
	if err := write(filepath.Join(tmp, "x")); err != nil {
		return fmt.Errorf("add %s: %w", p, err)
	}
	if err := os.Rename(filepath.Join(tmp, "x"), dst); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("add %s: %w", p, err)
	}
	return nil
}

// CopyTree copies the file tree at src to dst (which must not exist),
// keeping only what filter accepts (nil: everything), as the store
// receives it for builtins.path and filterSource.
func CopyTree(src, dst string, filter PathFilter) error { return copyTree(src, dst, filter) }

func copyTree(src, dst string, filter PathFilter) error {
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
			if filter != nil && !filter(child, fileType(e.Type())) {
				continue
			}
			if err := copyTree(child, filepath.Join(dst, e.Name()), filter); err != nil {
				return err
			}
		}
		return os.Chmod(dst, 0o555)
	default:
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		mode := fs.FileMode(0o444)
		if fi.Mode()&0o100 != 0 {
			mode = 0o555
		}
		return os.WriteFile(dst, data, mode)
	}
}

// fileType names a file type as readDir and filterSource do.
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

// writeNAR writes the NAR serialisation of the file tree at p.
func writeNAR(w io.Writer, p string, filter PathFilter) error {
	n := &narWriter{w: w}
	n.str("nix-archive-1")
	n.node(p, filter)
	return n.err
}

type narWriter struct {
	w   io.Writer
	err error
}

func (n *narWriter) str(s string) {
	if n.err != nil {
		return
	}
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], uint64(len(s)))
	_, n.err = n.w.Write(buf[:])
	if n.err == nil {
		_, n.err = io.WriteString(n.w, s)
	}
	if pad := (8 - len(s)%8) % 8; pad > 0 && n.err == nil {
		_, n.err = n.w.Write(make([]byte, pad))
	}
}

func (n *narWriter) node(p string, filter PathFilter) {
	fi, err := os.Lstat(p)
	if err != nil {
		n.err = err
		return
	}
	n.str("(")
	n.str("type")
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(p)
		if err != nil {
			n.err = err
			return
		}
		n.str("symlink")
		n.str("target")
		n.str(target)
	case fi.IsDir():
		n.str("directory")
		entries, err := os.ReadDir(p)
		if err != nil {
			n.err = err
			return
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
		for _, e := range entries {
			child := filepath.Join(p, e.Name())
			if filter != nil && !filter(child, fileType(e.Type())) {
				continue
			}
			n.str("entry")
			n.str("(")
			n.str("name")
			n.str(e.Name())
			n.str("node")
			n.node(child, filter)
			n.str(")")
		}
	case fi.Mode().IsRegular():
		n.str("regular")
		if fi.Mode()&0o100 != 0 {
			n.str("executable")
			n.str("")
		}
		data, err := os.ReadFile(p)
		if err != nil {
			n.err = err
			return
		}
		n.str("contents")
		n.str(string(data))
	default:
		n.err = fmt.Errorf("file '%s' has an unsupported type", p)
		return
	}
	n.str(")")
}
