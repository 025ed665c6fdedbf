package nar

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"sync"
)

// copyBufSize is the buffer used to copy file contents to writers that are
// not files (hashers, pipes wrapped in other writers).
const copyBufSize = 1 << 20

var copyBufs = sync.Pool{New: func() any { b := make([]byte, copyBufSize); return &b }}

// DumpPath writes the NAR of the file, symlink or directory at p to w, the
// same bytes as `nix-store --dump p`.
func DumpPath(w io.Writer, p string) error {
	nw := NewWriter(w)
	if err := dumpOS(nw, p, ""); err != nil {
		return err
	}
	return nw.Close()
}

func dumpOS(nw *Writer, root, rel string) error {
	full := filepath.Join(root, filepath.FromSlash(rel))
	fi, err := os.Lstat(full)
	if err != nil {
		return fmt.Errorf("dump %s: %w", full, err)
	}
	switch m := fi.Mode(); {
	case m.IsRegular():
		return dumpOSFile(nw, full, rel, fi)
	case m&fs.ModeSymlink != 0:
		target, err := os.Readlink(full)
		if err != nil {
			return fmt.Errorf("dump %s: %w", full, err)
		}
		return nw.WriteHeader(&Header{Path: rel, Type: TypeSymlink, LinkTarget: target})
	case m.IsDir():
		if err := nw.WriteHeader(&Header{Path: rel, Type: TypeDirectory}); err != nil {
			return err
		}
		names, err := readDirNames(full)
		if err != nil {
			return fmt.Errorf("dump %s: %w", full, err)
		}
		for _, name := range names {
			if err := dumpOS(nw, root, joinPath(rel, name)); err != nil {
				return err
			}
		}
		return nil
	default:
		return fmt.Errorf("dump %s: unsupported file type %v", full, m.Type())
	}
}

// readDirNames returns a directory's entry names in byte order.
func readDirNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	return names, nil
}

func dumpOSFile(nw *Writer, full, rel string, fi fs.FileInfo) error {
	f, err := os.Open(full)
	if err != nil {
		return fmt.Errorf("dump %s: %w", full, err)
	}
	defer f.Close()
	h := &Header{Path: rel, Type: TypeRegular, Executable: fi.Mode()&0o100 != 0, Size: fi.Size()}
	if err := nw.WriteHeader(h); err != nil {
		return err
	}
	if err := copyContents(nw, f, h.Size); err != nil {
		return fmt.Errorf("dump %s: %w", full, err)
	}
	return nil
}

// copyContents copies size bytes of r into the Writer's current file, with
// a large buffer, and checks that r holds no more and no fewer bytes.
func copyContents(nw *Writer, r io.Reader, size int64) error {
	if _, ok := nw.dst.(*os.File); ok {
		// Let the kernel copy (copy_file_range, sendfile, splice).
		if _, err := nw.ReadFrom(r); err != nil {
			return fmt.Errorf("file changed while being read: %w", err)
		}
		return checkEOF(r)
	}
	bp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bp)
	buf := *bp
	for size > 0 {
		n := int64(len(buf))
		if size < n {
			n = size
		}
		m, err := io.ReadFull(r, buf[:n])
		if err != nil {
			return fmt.Errorf("file changed while being read: %w", err)
		}
		if _, err := nw.Write(buf[:m]); err != nil {
			return err
		}
		size -= int64(m)
	}
	return checkEOF(r)
}

// checkEOF reports an error if r has more data (a file that grew).
func checkEOF(r io.Reader) error {
	var b [1]byte
	if n, _ := r.Read(b[:]); n > 0 {
		return fmt.Errorf("file changed while being read: it grew")
	}
	return nil
}

// DumpFS writes the NAR of the tree at name in fsys to w. Symlinks are
// read through fs.ReadLinkFS; a file system without it cannot hold any.
// The executable bit is the owner's execute permission.
func DumpFS(w io.Writer, fsys fs.FS, name string) error {
	nw := NewWriter(w)
	if err := dumpFS(nw, fsys, name, ""); err != nil {
		return err
	}
	return nw.Close()
}

func dumpFS(nw *Writer, fsys fs.FS, name, rel string) error {
	fi, err := fs.Lstat(fsys, name)
	if err != nil {
		return fmt.Errorf("dump %s: %w", name, err)
	}
	switch m := fi.Mode(); {
	case m.IsRegular():
		f, err := fsys.Open(name)
		if err != nil {
			return fmt.Errorf("dump %s: %w", name, err)
		}
		defer f.Close()
		h := &Header{Path: rel, Type: TypeRegular, Executable: m&0o100 != 0, Size: fi.Size()}
		if err := nw.WriteHeader(h); err != nil {
			return err
		}
		if err := copyContents(nw, f, h.Size); err != nil {
			return fmt.Errorf("dump %s: %w", name, err)
		}
		return nil
	case m&fs.ModeSymlink != 0:
		target, err := fs.ReadLink(fsys, name)
		if err != nil {
			return fmt.Errorf("dump %s: %w", name, err)
		}
		return nw.WriteHeader(&Header{Path: rel, Type: TypeSymlink, LinkTarget: target})
	case m.IsDir():
		if err := nw.WriteHeader(&Header{Path: rel, Type: TypeDirectory}); err != nil {
			return err
		}
		entries, err := fs.ReadDir(fsys, name) // sorted by name
		if err != nil {
			return fmt.Errorf("dump %s: %w", name, err)
		}
		for _, e := range entries {
			if err := dumpFS(nw, fsys, path.Join(name, e.Name()), joinPath(rel, e.Name())); err != nil {
				return err
			}
		}
		return nil
	default:
		return fmt.Errorf("dump %s: unsupported file type %v", name, m.Type())
	}
}
