package store

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"

	"github.com/frazil/frazil/store/nar"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// VerifyReport is the outcome of Verify.
type VerifyReport struct {
	Checked      int              // valid paths looked at
	Missing      []storepath.Path // valid in the database, absent on disk
	Corrupt      []Corruption     // contents differ from the recorded NAR hash or size
	Dangling     []Dangling       // references to paths that are not valid
	Unregistered []string         // store entries that are not valid paths: garbage for GC, not an error
	TempRemoved  []string         // stale .tmp-* entries of interrupted adds, removed
}

// Corruption is a valid path whose contents no longer match its info.
type Corruption struct {
	Path              storepath.Path
	WantHash          nixhash.Hash
	GotHash           nixhash.Hash
	WantSize, GotSize uint64
	Err               error // the contents could not be read
}

// Dangling is a reference from a valid path to a path that is not valid.
type Dangling struct{ Path, Reference storepath.Path }

// OK reports whether the store is consistent: nothing missing, corrupt or
// dangling. Unregistered entries are garbage an interrupted add may leave;
// they do not make a store inconsistent.
func (r *VerifyReport) OK() bool {
	return len(r.Missing) == 0 && len(r.Corrupt) == 0 && len(r.Dangling) == 0
}

// Verify checks the store: every valid path exists on disk and (with
// checkContents) its NAR still has the recorded hash and size, every
// reference is valid, and it lists store entries that are not valid paths.
// It runs under the exclusive store lock and removes the temporary entries
// of interrupted adds.
func (s *Store) Verify(checkContents bool) (*VerifyReport, error) {
	unlock, err := s.lockExclusive()
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	defer unlock()
	rep := &VerifyReport{}
	var infos []*PathInfo
	err = s.view(func(tx *bolt.Tx) error {
		err := tx.Bucket(bucketInfo).ForEach(func(k, _ []byte) error {
			info, err := getInfo(tx, storepath.Path(k))
			if err != nil {
				return err
			}
			infos = append(infos, info)
			for _, r := range info.References {
				if !isValid(tx, r) {
					rep.Dangling = append(rep.Dangling, Dangling{info.Path, r})
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		garbage, err := s.invalidEntries(tx)
		for _, g := range garbage {
			if isTemp(g) {
				rep.TempRemoved = append(rep.TempRemoved, g)
			} else {
				rep.Unregistered = append(rep.Unregistered, g)
			}
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	for _, t := range rep.TempRemoved {
		if _, err := removeTree(filepath.Join(s.storeDir, t)); err != nil {
			return nil, fmt.Errorf("verify: %w", err)
		}
	}
	for _, info := range infos {
		rep.Checked++
		s.verifyPath(info, checkContents, rep)
	}
	return rep, nil
}

func (s *Store) verifyPath(info *PathInfo, checkContents bool, rep *VerifyReport) {
	real := s.RealPath(info.Path)
	if _, err := os.Lstat(real); errors.Is(err, fs.ErrNotExist) {
		rep.Missing = append(rep.Missing, info.Path)
		return
	}
	if !checkContents {
		return
	}
	h := sha256.New()
	count := &countWriter{}
	err := nar.DumpPath(multiWriter{h, count}, real)
	got := nixhash.Hash{Algo: nixhash.SHA256, Digest: h.Sum(nil)}
	if err != nil || !got.Equal(info.NarHash) || count.n != info.NarSize {
		rep.Corrupt = append(rep.Corrupt, Corruption{Path: info.Path, WantHash: info.NarHash, GotHash: got,
			WantSize: info.NarSize, GotSize: count.n, Err: err})
	}
}

// multiWriter writes to a hash and a counter, neither of which fails.
type multiWriter struct {
	a, b interface{ Write([]byte) (int, error) }
}

func (m multiWriter) Write(p []byte) (int, error) {
	m.a.Write(p)
	return m.b.Write(p)
}

// String describes a corruption for a report.
func (c Corruption) String() string {
	if c.Err != nil {
		return fmt.Sprintf("%s: cannot read contents: %v", c.Path, c.Err)
	}
	return fmt.Sprintf("%s: contents changed: NAR hash %s, size %d; recorded %s, size %d",
		c.Path, c.GotHash, c.GotSize, c.WantHash, c.WantSize)
}
