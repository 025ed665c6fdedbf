package nar

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Restore reads a NAR from r and creates its tree at dst, which must not
// exist, like `nix-store --restore dst`. Files are created with mode 0666 or
// 0777 (executables) and directories 0777, less the umask. On error the
// partial tree is left for the caller to remove.
func Restore(dst string, r io.Reader) error {
	return restore(dst, NewReader(r))
}

func restore(dst string, nr *Reader) error {
	for {
		h, err := nr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("restore %s: %w", dst, err)
		}
		p := filepath.Join(dst, filepath.FromSlash(h.Path))
		if err := restoreNode(p, h, nr); err != nil {
			return fmt.Errorf("restore %s: %w", p, err)
		}
	}
}

func restoreNode(p string, h *Header, nr *Reader) error {
	switch h.Type {
	case TypeDirectory:
		return os.Mkdir(p, 0o777)
	case TypeSymlink:
		return os.Symlink(h.LinkTarget, p)
	}
	mode := os.FileMode(0o666)
	if h.Executable {
		mode = 0o777
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if h.Size > 0 {
		preallocate(f, h.Size)
	}
	if _, err := nr.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
