package main

// This file connects the evaluator to a store (eval.Store over
// store.Store): derivations and sources are added and registered, so that
// the builder can realise them.

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/frazil/frazil/eval"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// evalStore is an eval.Store that writes to a Frazil store.
type evalStore struct {
	s *store.Store
}

var _ eval.Store = (*evalStore)(nil)

func (e *evalStore) AddText(name string, contents []byte, refs []storepath.Path) (storepath.Path, error) {
	return e.s.AddText(name, contents, refs)
}

// AddPath computes the path first and copies only when it is not valid
// yet, so that a large source tree costs one hashing pass per evaluation.
func (e *evalStore) AddPath(src, name string, m storepath.Method, filter eval.PathFilter) (storepath.Path, nixhash.Hash, error) {
	p, h, err := eval.NewComputeStore().AddPath(src, name, m, filter)
	if err != nil {
		return "", h, err
	}
	if ok, err := e.s.IsValid(p); err != nil || ok {
		return p, h, err
	}
	from := src
	if filter != nil && m == storepath.Recursive {
		tmp, err := os.MkdirTemp("", "frazil-add-")
		if err != nil {
			return "", h, err
		}
		defer os.RemoveAll(tmp)
		from = filepath.Join(tmp, "x")
		if err := copyFiltered(src, from, filter); err != nil {
			return "", h, fmt.Errorf("copy %s: %w", src, err)
		}
	}
	info, err := e.s.AddTree(from, name, m, nil)
	if err != nil {
		return "", h, err
	}
	if info.Path != p {
		return "", h, fmt.Errorf("add %s: the store computed %s, the evaluator %s (did it change meanwhile?)", src, info.Path, p)
	}
	return p, h, nil
}

func (e *evalStore) RealPath(p storepath.Path) string { return e.s.RealPath(p) }

// copyFiltered copies the tree at src to dst, keeping what filter accepts
// below src (src itself is always kept), as builtins.path does.
func copyFiltered(src, dst string, filter eval.PathFilter) error {
	fi, err := os.Lstat(src)
	if err != nil {
		return err
	}
	switch {
	case fi.Mode()&os.ModeSymlink != 0:
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
		for _, ent := range entries {
			p := filepath.Join(src, ent.Name())
			if !filter(p, fileType(ent.Type())) {
				continue
			}
			if err := copyFiltered(p, filepath.Join(dst, ent.Name()), filter); err != nil {
				return err
			}
		}
		return nil
	case fi.Mode().IsRegular():
		return copyFile(src, dst, fi.Mode()&0o111 != 0)
	}
	return fmt.Errorf("%s: unsupported file type %v", src, fi.Mode().Type())
}

func fileType(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "directory"
	case m&os.ModeSymlink != 0:
		return "symlink"
	case m.IsRegular():
		return "regular"
	}
	return "unknown"
}

func copyFile(src, dst string, exec bool) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	mode := os.FileMode(0o644)
	if exec {
		mode = 0o755
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
