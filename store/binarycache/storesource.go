package binarycache

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/narinfo"
	"github.com/frazil/frazil/store/storepath"
)

// StoreSource makes a store servable by Handler.
type StoreSource struct {
	s *store.Store
}

// NewStoreSource returns a Source serving s.
func NewStoreSource(s *store.Store) *StoreSource {
	return &StoreSource{s: s}
}

// LookupHashPart implements Source.
func (ss *StoreSource) LookupHashPart(_ context.Context, hashPart string) (*narinfo.NarInfo, error) {
	p, err := ss.s.QueryPathFromHashPart(hashPart)
	if err == nil {
		var info *store.PathInfo
		if info, err = ss.s.QueryPathInfo(p); err == nil {
			return toNarInfo(info), nil
		}
	}
	if errors.Is(err, store.ErrNotValid) {
		return nil, fmt.Errorf("%s: %w", hashPart, ErrNotFound)
	}
	return nil, err
}

// DumpPath implements Source.
func (ss *StoreSource) DumpPath(_ context.Context, p storepath.Path, w io.Writer) error {
	return ss.s.Dump(p, w)
}

// toNarInfo returns the narinfo fields of a path's info (no URL,
// compression or file fields).
func toNarInfo(info *store.PathInfo) *narinfo.NarInfo {
	return &narinfo.NarInfo{
		StorePath:  info.Path,
		NarHash:    info.NarHash,
		NarSize:    info.NarSize,
		References: append([]storepath.Path(nil), info.References...),
		Deriver:    info.Deriver,
		Sigs:       append([]string(nil), info.Signatures...),
		CA:         info.CA,
	}
}

// toPathInfo returns the store info a narinfo describes.
func toPathInfo(ni *narinfo.NarInfo) *store.PathInfo {
	return &store.PathInfo{
		Path:       ni.StorePath,
		NarHash:    ni.NarHash,
		NarSize:    ni.NarSize,
		References: append([]storepath.Path(nil), ni.References...),
		Deriver:    ni.Deriver,
		Signatures: append([]string(nil), ni.Sigs...),
		CA:         ni.CA,
	}
}
