// Package storeadapter connects the evaluator to Frazil's store: it
// implements eval.Store on a *store.Store, so that paths the evaluator
// makes (derivations, builtins.toFile, sources) are added and registered
// like any other store path. Package eval itself never imports package
// store.
package storeadapter

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/frazil/frazil/eval"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// Store is an eval.Store backed by a store.
type Store struct {
	s *store.Store
}

var _ eval.Store = (*Store)(nil)

// Open opens (creating if needed) the store rooted at root.
func Open(root string) (*Store, error) {
	s, err := store.Open(root)
	if err != nil {
		return nil, err
	}
	return &Store{s: s}, nil
}

// New wraps an open store.
func New(s *store.Store) *Store { return &Store{s: s} }

// Close closes the store.
func (a *Store) Close() error { return a.s.Close() }

// AddText adds a text file.
func (a *Store) AddText(name string, contents []byte, refs []storepath.Path) (storepath.Path, error) {
	return a.s.AddText(name, contents, refs)
}

// AddPath copies a host path into the store; with a filter, the
// accepted files are first copied to a temporary directory.
func (a *Store) AddPath(src, name string, m storepath.Method, filter eval.PathFilter) (storepath.Path, nixhash.Hash, error) {
	if filter != nil {
		tmp, err := os.MkdirTemp("", "frazil-filtered-")
		if err != nil {
			return "", nixhash.Hash{}, fmt.Errorf("add %s: %w", src, err)
		}
		defer os.RemoveAll(tmp)
		copied := filepath.Join(tmp, "x")
		if err := eval.CopyTree(src, copied, filter); err != nil {
			return "", nixhash.Hash{}, fmt.Errorf("add %s: %w", src, err)
		}
		src = copied
	}
	info, err := a.s.AddTree(src, name, m, nil)
	if err != nil {
		return "", nixhash.Hash{}, err
	}
	return info.Path, info.NarHash, nil
}

// RealPath returns where a store path is on this host.
func (a *Store) RealPath(p storepath.Path) string { return a.s.RealPath(p) }
