package store

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/frazil/frazil/internal/faultpoint"
	"github.com/frazil/frazil/store/nar"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// AddTree copies the file or tree at src into the store as a
// content-addressed path named name, like `nix-store --add` (Recursive:
// the path is made from the sha256 of the NAR, type "source") or
// `nix-store --add-fixed sha256` (Flat: src must be a regular file; the
// path is made from the sha256 of its contents). refs are the references
// the contents have (Recursive only); they must be valid.
func (s *Store) AddTree(src, name string, m storepath.Method, refs []storepath.Path) (*PathInfo, error) {
	return s.addTree(src, name, m, nixhash.SHA256, refs)
}

// AddFixed is AddTree with any hash algorithm and no references, like
// `nix-store --add-fixed [--recursive] ALGO`. Except for recursive sha256,
// the path is a fixed-output ("output:out") path.
func (s *Store) AddFixed(src, name string, m storepath.Method, algo nixhash.Algo) (*PathInfo, error) {
	return s.addTree(src, name, m, algo, nil)
}

func (s *Store) addTree(src, name string, m storepath.Method, algo nixhash.Algo, refs []storepath.Path) (*PathInfo, error) {
	if m != storepath.Flat && m != storepath.Recursive {
		return nil, fmt.Errorf("add %s: method must be flat or recursive", src)
	}
	if err := storepath.ValidateName(name); err != nil {
		return nil, fmt.Errorf("add %s: %w", src, err)
	}
	unlock, err := s.LockShared()
	if err != nil {
		return nil, err
	}
	defer unlock()
	tmp, err := s.tempPath()
	if err != nil {
		return nil, err
	}
	info, err := s.addTreeTemp(src, tmp, name, m, algo, refs)
	if err != nil {
		removeTree(tmp)
		return nil, fmt.Errorf("add %s: %w", src, err)
	}
	return info, nil
}

// addTreeTemp copies src to tmp through a NAR (so that what is hashed is
// exactly what lands in the store), then installs it.
func (s *Store) addTreeTemp(src, tmp, name string, m storepath.Method, algo nixhash.Algo, refs []storepath.Path) (*PathInfo, error) {
	if m == storepath.Flat && len(refs) > 0 {
		return nil, errors.New("a flat file cannot have references")
	}
	if m == storepath.Flat {
		// Flat content may be a symlink to the file; the file is added
		// (keeping its executable bit, as Nix does).
		var err error
		if src, err = regularFile(src); err != nil {
			return nil, err
		}
	}
	narHash, narSize, caDigest, err := copyThroughNAR(src, tmp, algo)
	if err == nil && m == storepath.Flat {
		caDigest, err = hashFile(tmp, algo)
	}
	if err != nil {
		return nil, err
	}
	faultpoint.Hit(fpWritten)
	ca := storepath.ContentAddress{Method: m, Hash: nixhash.Hash{Algo: algo, Digest: caDigest}}
	p, err := ca.Path(name, refs, false)
	if err != nil {
		return nil, err
	}
	info := &PathInfo{Path: p, NarHash: narHash, NarSize: narSize, References: refs, CA: ca}
	return info, s.install(tmp, info)
}

// copyThroughNAR dumps src into a NAR and restores it at tmp, returning
// the NAR's sha256 and size and its digest under algo.
func copyThroughNAR(src, tmp string, algo nixhash.Algo) (nixhash.Hash, uint64, []byte, error) {
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(nar.DumpPath(pw, src)) }()
	narH := sha256.New()
	count := &countWriter{}
	sinks := []io.Writer{narH, count}
	caH := algo.New()
	if algo != nixhash.SHA256 {
		sinks = append(sinks, caH)
	}
	err := nar.Restore(tmp, io.TeeReader(pr, io.MultiWriter(sinks...)))
	pr.CloseWithError(errors.New("restore stopped"))
	if err != nil {
		return nixhash.Hash{}, 0, nil, err
	}
	h := nixhash.Hash{Algo: nixhash.SHA256, Digest: narH.Sum(nil)}
	ca := h.Digest
	if algo != nixhash.SHA256 {
		ca = caH.Sum(nil)
	}
	return h, count.n, ca, nil
}

// regularFile resolves symlinks in p and checks that it is a regular file.
func regularFile(p string) (string, error) {
	real, err := filepath.EvalSymlinks(p)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("flat hashing needs a regular file, %s is %v", p, fi.Mode().Type())
	}
	return real, nil
}

// hashFile returns the digest of a file's contents.
func hashFile(p string, algo nixhash.Algo) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := algo.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

type countWriter struct{ n uint64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += uint64(len(p))
	return len(p), nil
}

// AddText writes a text file (builtins.toFile, .drv files) whose path is
// made from the sha256 of contents and its references, which must be
// valid.
func (s *Store) AddText(name string, contents []byte, refs []storepath.Path) (storepath.Path, error) {
	sum := sha256.Sum256(contents)
	p, err := storepath.MakeText(name, sum[:], refs)
	if err != nil {
		return "", fmt.Errorf("add text %s: %w", name, err)
	}
	unlock, err := s.LockShared()
	if err != nil {
		return "", err
	}
	defer unlock()
	if ok, err := s.IsValid(p); err != nil || ok {
		if err == nil {
			err = s.addTempRootLocked(p)
		}
		return p, err
	}
	tmp, err := s.tempPath()
	if err != nil {
		return "", err
	}
	info := &PathInfo{Path: p, References: refs,
		CA: storepath.ContentAddress{Method: storepath.Text, Hash: nixhash.Hash{Algo: nixhash.SHA256, Digest: sum[:]}}}
	if err := s.addTextTemp(tmp, contents, info); err != nil {
		removeTree(tmp)
		return "", fmt.Errorf("add text %s: %w", p, err)
	}
	return p, nil
}

func (s *Store) addTextTemp(tmp string, contents []byte, info *PathInfo) error {
	if err := os.WriteFile(tmp, contents, 0o444); err != nil {
		return err
	}
	h := sha256.New()
	count := &countWriter{}
	nw := nar.NewWriter(io.MultiWriter(h, count))
	if err := nw.WriteHeader(&nar.Header{Type: nar.TypeRegular, Size: int64(len(contents))}); err != nil {
		return err
	}
	nw.Write(contents)
	if err := nw.Close(); err != nil {
		return err
	}
	info.NarHash = nixhash.Hash{Algo: nixhash.SHA256, Digest: h.Sum(nil)}
	info.NarSize = count.n
	faultpoint.Hit(fpWritten)
	return s.install(tmp, info)
}

// AddNAR adds info.Path with the contents of the NAR read from r: it
// restores the NAR under a temporary name, checks that its sha256 and size
// equal info.NarHash and info.NarSize, and registers info. A malformed,
// truncated or mismatching NAR registers nothing. If the path is already
// valid, r is not read.
func (s *Store) AddNAR(info *PathInfo, r io.Reader) error {
	if err := info.check(); err != nil {
		return fmt.Errorf("add %s: %w", info.Path, err)
	}
	unlock, err := s.LockShared()
	if err != nil {
		return err
	}
	defer unlock()
	if ok, err := s.IsValid(info.Path); err != nil || ok {
		if err == nil {
			err = s.addTempRootLocked(info.Path)
		}
		return err
	}
	tmp, err := s.tempPath()
	if err != nil {
		return err
	}
	if err := s.addNARTemp(tmp, info, r); err != nil {
		removeTree(tmp)
		return fmt.Errorf("add %s: %w", info.Path, err)
	}
	return nil
}

func (s *Store) addNARTemp(tmp string, info *PathInfo, r io.Reader) error {
	h := sha256.New()
	count := &countWriter{}
	if err := nar.Restore(tmp, io.TeeReader(r, io.MultiWriter(h, count))); err != nil {
		return err
	}
	got := nixhash.Hash{Algo: nixhash.SHA256, Digest: h.Sum(nil)}
	if !got.Equal(info.NarHash) {
		return fmt.Errorf("NAR hash mismatch: got %s, want %s", got, info.NarHash)
	}
	if count.n != info.NarSize {
		return fmt.Errorf("NAR size mismatch: got %d, want %d", count.n, info.NarSize)
	}
	faultpoint.Hit(fpWritten)
	return s.install(tmp, info)
}

// tempPath returns a fresh name for contents being added.
func (s *Store) tempPath() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return filepath.Join(s.storeDir, fmt.Sprintf(".tmp-%d-%s", os.Getpid(), hex.EncodeToString(b[:]))), nil
}

var errAlreadyValid = errors.New("already valid")

// install canonicalises and syncs the complete contents at tmp, renames
// them to info.Path and registers info, all while holding the database's
// write lock so that no other process renames or registers the same path
// meanwhile. The caller holds the shared store lock.
func (s *Store) install(tmp string, info *PathInfo) error {
	if err := Canonicalise(tmp); err != nil {
		return err
	}
	faultpoint.Hit(fpCanonical)
	if err := syncFS(s.storeDir); err != nil {
		return err
	}
	faultpoint.Hit(fpSynced)
	if info.RegistrationTime.IsZero() {
		info.RegistrationTime = time.Now()
	}
	info.References = uniqueSorted(info.References)
	final := s.RealPath(info.Path)
	renamed := false
	err := s.update(func(tx *bolt.Tx) error {
		if isValid(tx, info.Path) {
			return errAlreadyValid
		}
		if err := checkRefs(tx, info, nil); err != nil {
			return err
		}
		if err := s.clearInvalid(final); err != nil {
			return err
		}
		if err := os.Rename(tmp, final); err != nil {
			return err
		}
		renamed = true
		faultpoint.Hit(fpRenamed)
		if err := syncDir(s.storeDir); err != nil {
			return err
		}
		faultpoint.Hit(fpDirSynced)
		return putPath(tx, info)
	})
	switch {
	case errors.Is(err, errAlreadyValid):
		removeTree(tmp)
	case err != nil:
		if renamed {
			s.clearInvalid(final) // never registered: garbage
		}
		return err
	default:
		faultpoint.Hit(fpCommitted)
	}
	if err := s.addTempRootLocked(info.Path); err != nil {
		return err
	}
	faultpoint.Hit(fpTempRooted)
	return nil
}

// clearInvalid removes whatever is at the final name of a path that is not
// valid: the remains of an add that crashed between rename and commit, or
// of an interrupted GC.
func (s *Store) clearInvalid(final string) error {
	if _, err := os.Lstat(final); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	trash, err := s.tempPath()
	if err != nil {
		return err
	}
	if err := os.Rename(final, trash); err != nil {
		return err
	}
	_, err = removeTree(trash)
	return err
}

// checkRefs checks that every reference of info is valid, is info.Path
// itself, or is in batch.
func checkRefs(tx *bolt.Tx, info *PathInfo, batch map[storepath.Path]bool) error {
	for _, r := range info.References {
		if r != info.Path && !batch[r] && !isValid(tx, r) {
			return fmt.Errorf("%s refers to %s, which is not valid: %w", info.Path, r, ErrNotValid)
		}
	}
	return nil
}

func uniqueSorted(ps []storepath.Path) []storepath.Path {
	strs := sortedRefs(ps)
	out := make([]storepath.Path, len(strs))
	for i, s := range strs {
		out[i] = storepath.Path(s)
	}
	return out
}

// Register records paths that are already complete and canonical at their
// final names (builder outputs), in one transaction. Each path's
// references must be valid or among infos. Paths already valid get their
// info replaced. The contents are synced to disk before the commit.
func (s *Store) Register(infos []*PathInfo) error {
	batch := map[storepath.Path]bool{}
	for _, info := range infos {
		if err := info.check(); err != nil {
			return fmt.Errorf("register: %w", err)
		}
		if _, err := os.Lstat(s.RealPath(info.Path)); err != nil {
			return fmt.Errorf("register %s: %w", info.Path, err)
		}
		batch[info.Path] = true
	}
	unlock, err := s.LockShared()
	if err != nil {
		return err
	}
	defer unlock()
	if err := syncFS(s.storeDir); err != nil {
		return fmt.Errorf("register: %w", err)
	}
	faultpoint.Hit(fpRegSynced)
	now := time.Now()
	err = s.update(func(tx *bolt.Tx) error {
		for _, info := range infos {
			info.References = uniqueSorted(info.References)
			if info.RegistrationTime.IsZero() {
				info.RegistrationTime = now
			}
			if err := checkRefs(tx, info, batch); err != nil {
				return err
			}
			if err := putPath(tx, info); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	faultpoint.Hit(fpRegCommitted)
	for _, info := range infos {
		if err := s.addTempRootLocked(info.Path); err != nil {
			return err
		}
	}
	return nil
}

// AddSignatures adds signatures to a valid path's info, keeping those it
// has; duplicates are dropped.
func (s *Store) AddSignatures(p storepath.Path, sigs []string) error {
	return s.update(func(tx *bolt.Tx) error {
		info, err := getInfo(tx, p)
		if err != nil {
			return err
		}
		have := map[string]bool{}
		for _, sig := range info.Signatures {
			have[sig] = true
		}
		for _, sig := range sigs {
			if !have[sig] {
				info.Signatures = append(info.Signatures, sig)
				have[sig] = true
			}
		}
		return putPath(tx, info)
	})
}
