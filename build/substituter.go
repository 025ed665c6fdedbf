package build

// This file defines CacheSubstituter, a binary cache seen as a builder
// substituter.

import (
	"context"

	"github.com/frazil/frazil/builder"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/binarycache"
	"github.com/frazil/frazil/store/storepath"
)

// CacheSubstituter substitutes paths from a binary cache (http(s):// or
// file://, such as one served by `frazil cache serve` or written by
// `nix copy --to file://…`), importing only what Trust accepts.
type CacheSubstituter struct {
	Cache *binarycache.Cache
	Trust binarycache.Trust
}

var _ builder.Substituter = (*CacheSubstituter)(nil)

// NewCacheSubstituter opens the cache at url.
func NewCacheSubstituter(url string, trust binarycache.Trust) (*CacheSubstituter, error) {
	c, err := binarycache.Open(url)
	if err != nil {
		return nil, err
	}
	return &CacheSubstituter{Cache: c, Trust: trust}, nil
}

// Has reports whether the cache has a narinfo for p.
func (c *CacheSubstituter) Has(ctx context.Context, p storepath.Path) (bool, error) {
	return c.Cache.HasPath(ctx, p)
}

// Substitute copies p and its missing references into s.
func (c *CacheSubstituter) Substitute(ctx context.Context, s *store.Store, p storepath.Path) error {
	_, err := binarycache.CopyFrom(ctx, c.Cache, s, []storepath.Path{p}, binarycache.CopyOptions{Trust: c.Trust})
	return err
}
