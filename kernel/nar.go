package kernel

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/frazil/frazil/store/nixhash"
)

// NarHash returns the sha256 of the NAR serialisation of the tree at p, the
// hash a recursive fixed-output store path is made from.
//
// It is a private NAR writer until the store's package store/nar is on main;
// it is checked against nix-store --dump in the tests.
func NarHash(p string) (nixhash.Hash, error) {
	h := sha256.New()
	w := &narWriter{w: h}
	w.str("nix-archive-1")
	if err := w.node(p); err != nil {
		return nixhash.Hash{}, fmt.Errorf("nar hash %s: %w", p, err)
	}
	if w.err != nil {
		return nixhash.Hash{}, w.err
	}
	return nixhash.Hash{Algo: nixhash.SHA256, Digest: h.Sum(nil)}, nil
}

type narWriter struct {
	w   io.Writer
	err error
}

func (n *narWriter) str(s string) {
	n.bytesHeader(int64(len(s)))
	io.WriteString(n.w, s)
	n.pad(int64(len(s)))
}

func (n *narWriter) bytesHeader(size int64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(size))
	n.w.Write(b[:])
}

func (n *narWriter) pad(size int64) {
	if r := size % 8; r != 0 {
		n.w.Write(make([]byte, 8-r))
	}
}

func (n *narWriter) node(p string) error {
	st, err := os.Lstat(p)
	if err != nil {
		return err
	}
	n.str("(")
	switch {
	case st.Mode()&os.ModeSymlink != 0:
		target, err := os.Readlink(p)
		if err != nil {
			return err
		}
		n.str("type")
		n.str("symlink")
		n.str("target")
		n.str(target)
	case st.IsDir():
		n.str("type")
		n.str("directory")
		entries, err := os.ReadDir(p)
		if err != nil {
			return err
		}
		names := make([]string, 0, len(entries))
		for _, e := range entries {
			names = append(names, e.Name())
		}
		sort.Strings(names)
		for _, name := range names {
			n.str("entry")
			n.str("(")
			n.str("name")
			n.str(name)
			n.str("node")
			if err := n.node(filepath.Join(p, name)); err != nil {
				return err
			}
			n.str(")")
		}
	case st.Mode().IsRegular():
		n.str("type")
		n.str("regular")
		if st.Mode()&0o100 != 0 {
			n.str("executable")
			n.str("")
		}
		n.str("contents")
		if err := n.contents(p, st.Size()); err != nil {
			return err
		}
	default:
		return fmt.Errorf("%s: unsupported file type %v", p, st.Mode())
	}
	n.str(")")
	return nil
}

func (n *narWriter) contents(p string, size int64) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	n.bytesHeader(size)
	if m, err := io.Copy(n.w, f); err != nil || m != size {
		return fmt.Errorf("%s: read %d of %d bytes: %v", p, m, size, err)
	}
	n.pad(size)
	return nil
}
