package store

import (
	"bytes"
	"fmt"
	"io"
	"sort"

	bolt "go.etcd.io/bbolt"

	"github.com/frazil/frazil/store/nar"
	"github.com/frazil/frazil/store/storepath"
)

// IsValid reports whether p is a valid path.
func (s *Store) IsValid(p storepath.Path) (bool, error) {
	var ok bool
	err := s.view(func(tx *bolt.Tx) error {
		ok = isValid(tx, p)
		return nil
	})
	return ok, err
}

// QueryPathInfo returns the info of a valid path, or an error wrapping
// ErrNotValid.
func (s *Store) QueryPathInfo(p storepath.Path) (*PathInfo, error) {
	var info *PathInfo
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		info, err = getInfo(tx, p)
		return err
	})
	return info, err
}

// QueryPathFromHashPart returns the valid path whose hash part is h, or an
// error wrapping ErrNotValid.
func (s *Store) QueryPathFromHashPart(h string) (storepath.Path, error) {
	prefix := []byte(storepath.Dir + "/" + h + "-")
	var p storepath.Path
	err := s.view(func(tx *bolt.Tx) error {
		k, _ := tx.Bucket(bucketInfo).Cursor().Seek(prefix)
		if k == nil || !bytes.HasPrefix(k, prefix) {
			return fmt.Errorf("no path with hash part %s: %w", h, ErrNotValid)
		}
		p = storepath.Path(k)
		return nil
	})
	return p, err
}

// AllValid returns every valid path, sorted.
func (s *Store) AllValid() ([]storepath.Path, error) {
	var out []storepath.Path
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketInfo).ForEach(func(k, _ []byte) error {
			out = append(out, storepath.Path(k))
			return nil
		})
	})
	return out, err
}

// References returns the references of a valid path, sorted.
func (s *Store) References(p storepath.Path) ([]storepath.Path, error) {
	var out []storepath.Path
	err := s.view(func(tx *bolt.Tx) error {
		if !isValid(tx, p) {
			return fmt.Errorf("%s: %w", p, ErrNotValid)
		}
		out = getRefs(tx, p)
		return nil
	})
	return out, err
}

// Referrers returns the valid paths that refer to a valid path, sorted.
func (s *Store) Referrers(p storepath.Path) ([]storepath.Path, error) {
	var out []storepath.Path
	err := s.view(func(tx *bolt.Tx) error {
		if !isValid(tx, p) {
			return fmt.Errorf("%s: %w", p, ErrNotValid)
		}
		out = getReferrers(tx, p)
		return nil
	})
	return out, err
}

// Closure returns ps and everything they refer to, directly or not,
// sorted. Every path must be valid.
func (s *Store) Closure(ps []storepath.Path) ([]storepath.Path, error) {
	var out []storepath.Path
	err := s.view(func(tx *bolt.Tx) error {
		seen, err := closure(tx, ps)
		if err != nil {
			return err
		}
		out = make([]storepath.Path, 0, len(seen))
		for p := range seen {
			out = append(out, p)
		}
		return nil
	})
	sortPaths(out)
	return out, err
}

// closure walks references breadth-first from ps.
func closure(tx *bolt.Tx, ps []storepath.Path) (map[storepath.Path]bool, error) {
	seen := make(map[storepath.Path]bool, len(ps))
	queue := append([]storepath.Path(nil), ps...)
	refs := tx.Bucket(bucketRefs)
	for len(queue) > 0 {
		p := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if seen[p] {
			continue
		}
		v := refs.Get([]byte(p))
		if v == nil {
			return nil, fmt.Errorf("closure: %s: %w", p, ErrNotValid)
		}
		seen[p] = true
		for len(v) > 0 {
			i := bytes.IndexByte(v, '\n')
			if i < 0 {
				i = len(v)
			}
			if r := storepath.Path(v[:i]); !seen[r] {
				queue = append(queue, r)
			}
			v = v[min(i+1, len(v)):]
		}
	}
	return seen, nil
}

// TopoSort orders ps so that every path comes after the paths (among ps)
// it refers to: references before referrers, the order to copy or
// register them in. Ties keep sorted order.
func (s *Store) TopoSort(ps []storepath.Path) ([]storepath.Path, error) {
	var out []storepath.Path
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = topoSort(tx, ps)
		return err
	})
	return out, err
}

func topoSort(tx *bolt.Tx, ps []storepath.Path) ([]storepath.Path, error) {
	in := make(map[storepath.Path]bool, len(ps))
	for _, p := range ps {
		in[p] = true
	}
	sorted := append([]storepath.Path(nil), ps...)
	sortPaths(sorted)
	const (
		unseen = iota
		visiting
		done
	)
	state := make(map[storepath.Path]int, len(ps))
	out := make([]storepath.Path, 0, len(ps))
	var visit func(p storepath.Path) error
	visit = func(p storepath.Path) error {
		switch state[p] {
		case done:
			return nil
		case visiting:
			return fmt.Errorf("reference cycle through %s", p)
		}
		state[p] = visiting
		for _, r := range getRefs(tx, p) {
			if r != p && in[r] {
				if err := visit(r); err != nil {
					return err
				}
			}
		}
		state[p] = done
		out = append(out, p)
		return nil
	}
	for _, p := range sorted {
		if !isValid(tx, p) {
			return nil, fmt.Errorf("topological sort: %s: %w", p, ErrNotValid)
		}
		if err := visit(p); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func sortPaths(ps []storepath.Path) {
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
}

// SetDerivationOutputs records the output paths of a valid derivation
// (output name -> path), for the builder to look up later.
func (s *Store) SetDerivationOutputs(drv storepath.Path, outputs map[string]storepath.Path) error {
	return s.update(func(tx *bolt.Tx) error {
		if !isValid(tx, drv) {
			return fmt.Errorf("set outputs of %s: %w", drv, ErrNotValid)
		}
		b := tx.Bucket(bucketDrvOutputs)
		for name, p := range outputs {
			if err := b.Put([]byte(string(drv)+"\x00"+name), []byte(p)); err != nil {
				return err
			}
		}
		return nil
	})
}

// DerivationOutputs returns the recorded outputs of a derivation (empty if
// none are recorded).
func (s *Store) DerivationOutputs(drv storepath.Path) (map[string]storepath.Path, error) {
	out := map[string]storepath.Path{}
	prefix := []byte(string(drv) + "\x00")
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketDrvOutputs).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			out[string(k[len(prefix):])] = storepath.Path(v)
		}
		return nil
	})
	return out, err
}

// Dump writes the NAR of a valid path to w.
func (s *Store) Dump(p storepath.Path, w io.Writer) error {
	if ok, err := s.IsValid(p); err != nil {
		return err
	} else if !ok {
		return fmt.Errorf("dump %s: %w", p, ErrNotValid)
	}
	return nar.DumpPath(w, s.RealPath(p))
}
