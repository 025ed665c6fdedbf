package builder

// This file defines substitution: getting a path from elsewhere (a binary
// cache) instead of building it.

import (
	"context"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// Substituter provides store paths built elsewhere, such as a binary
// cache.
type Substituter interface {
	// Has reports whether the substituter can provide p.
	Has(ctx context.Context, p storepath.Path) (bool, error)
	// Substitute makes p valid in s, with its references (which it
	// substitutes first if they are missing).
	Substitute(ctx context.Context, s *store.Store, p storepath.Path) error
}

// findSubstituter returns the first substituter that has every path in
// ps, or nil. Errors count as "does not have it": a cache that is down
// must not stop a build that can be done locally.
func (b *Builder) findSubstituter(ctx context.Context, ps []storepath.Path) Substituter {
	for _, s := range b.opts.Substituters {
		all := true
		for _, p := range ps {
			if ok, err := s.Has(ctx, p); err != nil || !ok {
				all = false
				break
			}
		}
		if all {
			return s
		}
	}
	return nil
}

// runSubstitute makes the missing paths of n valid.
func (b *Builder) runSubstitute(ctx context.Context, n *node) error {
	for _, p := range n.substitute {
		release, err := b.lockPaths([]storepath.Path{p})
		if err != nil {
			return err
		}
		valid, err := b.store.IsValid(p)
		if err == nil && !valid {
			err = n.substituter.Substitute(ctx, b.store, p)
		}
		release()
		if err != nil {
			return err
		}
	}
	return nil
}
