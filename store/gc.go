package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/frazil/frazil/internal/faultpoint"
	"github.com/frazil/frazil/store/storepath"
)

// GCOptions control a garbage collection.
type GCOptions struct {
	// DryRun computes what would be deleted and deletes nothing (not even
	// stale roots or temporary files).
	DryRun bool
	// Progress, if set, receives a line per deleted path.
	Progress io.Writer
}

// GCResult reports a garbage collection.
type GCResult struct {
	Roots      map[string]storepath.Path // root link -> store path it keeps
	TempRoots  []storepath.Path          // temp roots of live processes
	Dead       []storepath.Path          // unreachable valid paths, referrers first
	Deleted    []storepath.Path          // of those, deleted (none in a dry run)
	Garbage    []string                  // store entries that were not valid paths (removed unless dry run)
	BytesFreed uint64                    // bytes of files and symlinks deleted (or that would be)
}

// GC deletes every valid path not reachable from a root, and every entry
// of the store directory that is not a valid path (the remains of
// interrupted adds). Roots are the links in gcroots/ and profiles/, the
// temp roots of live processes, and R/run/{current,booted}-system. It runs
// under the exclusive store lock, so no add is in progress. Dead paths are
// removed from the database first, in one transaction, then from disk,
// referrers before the paths they refer to.
func (s *Store) GC(opts GCOptions) (*GCResult, error) {
	unlock, err := s.lockExclusive()
	if err != nil {
		return nil, fmt.Errorf("gc: %w", err)
	}
	defer unlock()
	res, err := s.findDead(!opts.DryRun)
	if err != nil {
		return nil, fmt.Errorf("gc: %w", err)
	}
	if opts.DryRun {
		for _, p := range res.Dead {
			res.BytesFreed += treeSize(s.RealPath(p))
		}
		return res, nil
	}
	if err := s.deleteDead(res, opts.Progress); err != nil {
		return res, fmt.Errorf("gc: %w", err)
	}
	return res, nil
}

// findDead computes the roots, the live set and the dead paths.
func (s *Store) findDead(removeStale bool) (*GCResult, error) {
	roots, err := s.findRoots(removeStale)
	if err != nil {
		return nil, err
	}
	temp, err := s.readTempRoots(removeStale)
	if err != nil {
		return nil, err
	}
	res := &GCResult{Roots: roots, TempRoots: temp}
	err = s.view(func(tx *bolt.Tx) error {
		var start []storepath.Path
		for _, p := range roots {
			start = append(start, p)
		}
		start = append(start, temp...)
		valid := start[:0:0]
		for _, p := range start {
			if isValid(tx, p) {
				valid = append(valid, p)
			}
		}
		live, err := closure(tx, valid)
		if err != nil {
			return err
		}
		var dead []storepath.Path
		err = tx.Bucket(bucketInfo).ForEach(func(k, _ []byte) error {
			if p := storepath.Path(k); !live[p] {
				dead = append(dead, p)
			}
			return nil
		})
		if err != nil {
			return err
		}
		order, err := topoSort(tx, dead)
		if err != nil {
			return err
		}
		for i := len(order) - 1; i >= 0; i-- { // referrers first
			res.Dead = append(res.Dead, order[i])
		}
		res.Garbage, err = s.invalidEntries(tx)
		return err
	})
	return res, err
}

// invalidEntries lists the store directory's entries that are not valid
// paths.
func (s *Store) invalidEntries(tx *bolt.Tx) ([]string, error) {
	f, err := os.Open(s.storeDir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, err := f.Readdirnames(-1)
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []string
	for _, n := range names {
		if sp, err := storepath.FromBase(n); err != nil || !isValid(tx, sp) {
			out = append(out, n)
		}
	}
	return out, nil
}

// deleteDead invalidates the dead paths and then deletes them and the
// garbage from disk.
func (s *Store) deleteDead(res *GCResult, progress io.Writer) error {
	err := s.update(func(tx *bolt.Tx) error {
		for _, p := range res.Dead {
			if err := deletePath(tx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	faultpoint.Hit(fpInvalidated)
	for _, p := range res.Dead {
		if progress != nil {
			fmt.Fprintf(progress, "deleting '%s'\n", p)
		}
		n, err := removeTree(s.RealPath(p))
		if err != nil {
			return err
		}
		res.BytesFreed += n
		res.Deleted = append(res.Deleted, p)
		faultpoint.Hit(fpGCDeleted)
	}
	for _, name := range res.Garbage {
		n, err := removeTree(filepath.Join(s.storeDir, name))
		if err != nil {
			return err
		}
		res.BytesFreed += n
	}
	return nil
}

// treeSize adds up the sizes of the files and symlinks under p.
func treeSize(p string) uint64 {
	var n uint64
	filepath.Walk(p, func(_ string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			n += uint64(fi.Size())
		}
		return nil
	})
	return n
}

// isTemp reports whether a store directory entry is an add in progress.
func isTemp(name string) bool { return strings.HasPrefix(name, ".tmp-") }
