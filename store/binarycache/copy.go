package binarycache

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/frazil/frazil/internal/faultpoint"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/narinfo"
	"github.com/frazil/frazil/store/storepath"
)

// Progress reports one step of a copy to a Progress callback.
type Progress struct {
	Path  storepath.Path
	Index int    // 1-based position among the paths to copy
	Total int    // how many paths are copied (not counting those already there)
	Bytes uint64 // NAR size of Path
	Done  bool   // false when starting Path, true when it is complete
}

// CopyOptions tunes CopyFrom and CopyTo.
type CopyOptions struct {
	// Trust decides which paths CopyFrom imports.
	Trust Trust
	// Progress, if set, is called before and after each path is copied.
	Progress func(Progress)
}

func (o CopyOptions) report(p Progress) {
	if o.Progress != nil {
		o.Progress(p)
	}
}

// CopyFrom substitutes paths and their closures from c into s. Paths
// already valid in s are skipped. Every narinfo is fetched and checked
// against opts.Trust before any NAR is downloaded; paths are then added
// references first, each NAR streamed through its decompressor into
// s.AddNAR, which checks its hash and size before registering it. A path
// that fails any check is not registered (those added before it stay:
// they are complete, with their references). It returns the paths added,
// in the order they were added.
func CopyFrom(ctx context.Context, c *Cache, s *store.Store, paths []storepath.Path, opts CopyOptions) ([]storepath.Path, error) {
	if _, err := c.Info(ctx); err != nil {
		return nil, err
	}
	// Held from planning on, so that no GC removes a reference found valid.
	unlock, err := s.LockShared()
	if err != nil {
		return nil, err
	}
	defer unlock()
	plan, err := c.planFetch(ctx, s, paths, opts.Trust)
	if err != nil {
		return nil, err
	}
	var added []storepath.Path
	for i, ni := range plan {
		opts.report(Progress{Path: ni.StorePath, Index: i + 1, Total: len(plan), Bytes: ni.NarSize})
		if err := c.fetchOne(ctx, s, ni, opts.Trust); err != nil {
			return added, err
		}
		added = append(added, ni.StorePath)
		opts.report(Progress{Path: ni.StorePath, Index: i + 1, Total: len(plan), Bytes: ni.NarSize, Done: true})
	}
	return added, nil
}

// planFetch walks the closure of roots in the cache, skipping what s has,
// and returns the narinfo of every missing path in topological order
// (references first). Each narinfo must be trusted.
func (c *Cache) planFetch(ctx context.Context, s *store.Store, roots []storepath.Path, trust Trust) ([]*narinfo.NarInfo, error) {
	const (
		visiting = 1
		done     = 2
	)
	state := map[storepath.Path]int{}
	var order []*narinfo.NarInfo
	var visit func(p storepath.Path, from storepath.Path) error
	visit = func(p, from storepath.Path) error {
		switch state[p] {
		case done:
			return nil
		case visiting:
			return fmt.Errorf("cache %s: reference cycle through %s", c.url, p)
		}
		state[p] = visiting
		if ok, err := s.IsValid(p); err != nil {
			return err
		} else if ok {
			state[p] = done
			return s.AddTempRoot(p) // kept until this process ends
		}
		ni, err := c.NarInfo(ctx, p)
		if errors.Is(err, ErrNotFound) && from != "" {
			return fmt.Errorf("%s (a reference of %s): %w", p, from, err)
		}
		if err != nil {
			return err
		}
		if err := trust.check(ni, c.url); err != nil {
			return err
		}
		for _, r := range ni.References {
			if r == p {
				continue
			}
			if err := visit(r, p); err != nil {
				return err
			}
		}
		state[p] = done
		order = append(order, ni)
		return nil
	}
	for _, p := range roots {
		if err := visit(p, ""); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// fetchOne downloads one path's NAR and adds it to s.
func (c *Cache) fetchOne(ctx context.Context, s *store.Store, ni *narinfo.NarInfo, trust Trust) error {
	faultpoint.Hit("binarycache.copy.fetch")
	rc, err := c.OpenNAR(ctx, ni)
	if err != nil {
		return err
	}
	defer rc.Close()
	var r io.Reader = rc
	final := func() error { return nil }
	if w, check := trust.caCheck(ni); w != nil {
		r, final = io.TeeReader(rc, w), check
	}
	// AddNAR records a temp root for the path, checks the NAR's hash and
	// size, and registers nothing unless the whole stream (held back by
	// one byte until every check on the download passed) was right.
	if err := s.AddNAR(toPathInfo(ni), newHoldback(r, final)); err != nil {
		return fmt.Errorf("copy %s from %s: %w", ni.StorePath, c.url, err)
	}
	faultpoint.Hit("binarycache.copy.added")
	return nil
}

// CopyTo uploads paths and their closures from s to c, signing with the
// cache's key if it has one. Paths are uploaded references first and each
// narinfo only after its NAR, so the cache never holds a narinfo whose NAR
// or references are missing; paths the cache has already are skipped. It
// returns the paths uploaded.
func CopyTo(ctx context.Context, s *store.Store, c *Cache, paths []storepath.Path, opts CopyOptions) ([]storepath.Path, error) {
	if err := c.Init(ctx); err != nil {
		return nil, err
	}
	closure, err := s.Closure(paths)
	if err != nil {
		return nil, err
	}
	order, err := s.TopoSort(closure)
	if err != nil {
		return nil, err
	}
	var todo []storepath.Path
	for _, p := range order {
		ok, err := c.HasPath(ctx, p)
		if err != nil {
			return nil, err
		}
		if !ok {
			todo = append(todo, p)
		}
	}
	var uploaded []storepath.Path
	for i, p := range todo {
		info, err := s.QueryPathInfo(p)
		if err != nil {
			return uploaded, err
		}
		opts.report(Progress{Path: p, Index: i + 1, Total: len(todo), Bytes: info.NarSize})
		if err := c.uploadOne(ctx, s, info); err != nil {
			return uploaded, err
		}
		uploaded = append(uploaded, p)
		opts.report(Progress{Path: p, Index: i + 1, Total: len(todo), Bytes: info.NarSize, Done: true})
	}
	return uploaded, nil
}

// uploadOne streams one path's NAR from the store into PutPath.
func (c *Cache) uploadOne(ctx context.Context, s *store.Store, info *store.PathInfo) error {
	ni := toNarInfo(info)
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(s.Dump(info.Path, pw)) }()
	_, err := c.PutPath(ctx, ni, pr)
	pr.CloseWithError(errors.New("upload ended")) // unblocks Dump if PutPath stopped early
	return err
}
