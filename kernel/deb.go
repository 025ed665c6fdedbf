package kernel

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"
)

// ExtractDeb unpacks the data archive of a .deb into dest: directories,
// regular files (with their permission bits) and symlinks. Entries for which
// keep returns false are skipped, as are device nodes. Paths escaping dest
// are an error.
func ExtractDeb(debPath, dest string, keep func(name string) bool) error {
	f, err := os.Open(debPath)
	if err != nil {
		return fmt.Errorf("deb %s: %w", debPath, err)
	}
	defer f.Close()
	if err := extractDeb(f, dest, keep); err != nil {
		return fmt.Errorf("deb %s: %w", debPath, err)
	}
	return nil
}

func extractDeb(r io.Reader, dest string, keep func(string) bool) error {
	ar, err := NewArReader(r)
	if err != nil {
		return err
	}
	for {
		m, err := ar.Next()
		if err == io.EOF {
			return errors.New("no data.tar member")
		}
		if err != nil {
			return err
		}
		if !strings.HasPrefix(m.Name, "data.tar") {
			continue
		}
		dr, closeFn, err := decompressor(m.Name, ar.Open(m))
		if err != nil {
			return err
		}
		defer closeFn()
		return untar(dr, dest, keep)
	}
}

// decompressor picks the decoder by the member's suffix.
func decompressor(name string, r io.Reader) (io.Reader, func(), error) {
	switch {
	case strings.HasSuffix(name, ".xz"):
		xr, err := xz.NewReader(r)
		return xr, func() {}, err
	case strings.HasSuffix(name, ".zst"):
		zr, err := zstd.NewReader(r)
		if err != nil {
			return nil, nil, err
		}
		return zr, zr.Close, nil
	case strings.HasSuffix(name, ".gz"):
		gr, err := gzip.NewReader(r)
		return gr, func() {}, err
	case name == "data.tar":
		return r, func() {}, nil
	}
	return nil, nil, fmt.Errorf("%s: unknown compression", name)
}

func untar(r io.Reader, dest string, keep func(string) bool) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("data.tar: %w", err)
		}
		name := strings.TrimPrefix(filepath.Clean("/"+h.Name), "/")
		if name == "" || (keep != nil && !keep(name)) {
			continue
		}
		if err := writeEntry(tr, h, filepath.Join(dest, name)); err != nil {
			return fmt.Errorf("data.tar %s: %w", h.Name, err)
		}
	}
}

func writeEntry(r io.Reader, h *tar.Header, target string) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	switch h.Typeflag {
	case tar.TypeDir:
		return os.MkdirAll(target, 0o755)
	case tar.TypeSymlink:
		os.Remove(target)
		return os.Symlink(h.Linkname, target)
	case tar.TypeReg:
		f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, os.FileMode(h.Mode)&0o755|0o644)
		if err != nil {
			return err
		}
		if _, err := io.Copy(f, r); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	return nil // hard links, devices: not in kernel packages
}
