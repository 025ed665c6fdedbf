package build

// This file defines StoreAdapter, the evaluator's view of a store.Store.

import (
	"fmt"

	"github.com/frazil/frazil/eval"
	"github.com/frazil/frazil/eval/storeadapter"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// StoreAdapter is an eval.Store that writes into a store.Store, so that
// the .drv files and sources an evaluation produces are valid paths the
// builder can use. Paths it returns are temp roots of this process. It
// differs from eval/storeadapter in computing a source's path first and
// copying nothing when that path is valid already, which keeps a no-op
// rebuild cheap.
type StoreAdapter struct {
	Store *store.Store
}

var _ eval.Store = (*StoreAdapter)(nil)

// AddText adds a text file (builtins.toFile, .drv files).
func (a *StoreAdapter) AddText(name string, contents []byte, refs []storepath.Path) (storepath.Path, error) {
	return a.Store.AddText(name, contents, refs)
}

// AddPath adds a host path, keeping what filter accepts. A path that is
// already valid is not copied again, so re-evaluating costs one hash of
// the source.
func (a *StoreAdapter) AddPath(src, name string, m storepath.Method, filter eval.PathFilter) (storepath.Path, nixhash.Hash, error) {
	p, narHash, err := eval.NewComputeStore().AddPath(src, name, m, filter)
	if err != nil {
		return "", narHash, err
	}
	valid, err := a.Store.IsValid(p)
	if err != nil {
		return "", narHash, err
	}
	if valid {
		return p, narHash, a.Store.AddTempRoot(p)
	}
	got, _, err := storeadapter.New(a.Store).AddPath(src, name, m, filter)
	if err != nil {
		return "", narHash, err
	}
	if got != p {
		return "", narHash, fmt.Errorf("add %s: %s changed while it was added (got %s, want %s)", name, src, got, p)
	}
	return p, narHash, nil
}

// RealPath returns where p is on this host.
func (a *StoreAdapter) RealPath(p storepath.Path) string { return a.Store.RealPath(p) }
