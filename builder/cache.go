package builder

// This file defines the substituter backed by a binary cache.

import (
	"context"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/binarycache"
	"github.com/frazil/frazil/store/storepath"
)

// CacheSubstituter substitutes paths from a binary cache, importing only
// those Trust accepts (signed by a trusted key, or content-addressed).
type CacheSubstituter struct {
	Cache *binarycache.Cache
	Trust binarycache.Trust
}

// Has reports whether the cache has a narinfo for p.
func (c *CacheSubstituter) Has(ctx context.Context, p storepath.Path) (bool, error) {
	return c.Cache.HasPath(ctx, p)
}

// Substitute copies p and its missing references from the cache into s.
func (c *CacheSubstituter) Substitute(ctx context.Context, s *store.Store, p storepath.Path) error {
	_, err := binarycache.CopyFrom(ctx, c.Cache, s, []storepath.Path{p}, binarycache.CopyOptions{Trust: c.Trust})
	return err
}
