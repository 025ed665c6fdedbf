// Package store is Frazil's content-addressed store, laid out and named
// exactly like Nix's: a root directory R holds the paths in R/nix/store and
// the state in R/nix/var/nix (see docs/architecture.md, "Store on disk").
//
// The model: a store path is either valid — complete on disk, canonical
// (read-only, mtime 1) and recorded in the database with its NAR hash, size
// and references — or it is garbage. Every add writes the contents under a
// temporary name (.tmp-*), canonicalises and syncs them, renames them to the
// final name, syncs the store directory and only then records the path in
// one database transaction. A crash at any step therefore leaves either a
// valid path or garbage that the next GC (or Verify) removes; the fault
// points named in faultpoints.go let tests prove it.
//
// The set of valid paths is closed under references: a path is registered
// only when everything it refers to is valid, and GC deletes a path only
// after every path referring to it.
//
// Concurrency, within and across processes: adds hold a shared flock on
// gc.lock and GC or Verify an exclusive one, so they never overlap; each
// path added is also recorded as a temp root of the adding process, so a
// later GC keeps it until that process exits. The database (bbolt) is
// opened for each operation, so several processes can use one store.
package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/frazil/frazil/store/storepath"
)

// Store is an open store rooted at a directory. Its methods are safe for
// concurrent use.
type Store struct {
	root     string // R, absolute and clean
	storeDir string // R/nix/store
	stateDir string // R/nix/var/nix
	dbPath   string

	db *dbHandle // the database, shared by the Stores of this root in this process

	lockFile *os.File // gc.lock, for shared locks held by this Store
	sharedMu sync.Mutex
	shared   int // holders of the shared lock

	tempMu    sync.Mutex
	tempRoots *tempRootFile // this process's temp roots file, once used

	closeOnce sync.Once
}

// ErrNotValid is wrapped by errors about paths that are not valid.
var ErrNotValid = errors.New("path is not valid")

// Open opens the store rooted at root, creating its layout and database if
// they are missing. The root "/" is the machine's own store.
func Open(root string) (*Store, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("open store %s: %w", root, err)
	}
	s := &Store{
		root:     abs,
		storeDir: filepath.Join(abs, storepath.Dir),
		stateDir: filepath.Join(abs, "nix/var/nix"),
	}
	s.dbPath = filepath.Join(s.stateDir, "db", "frazil.db")
	s.db = handleFor(s.dbPath)
	for _, d := range []string{s.storeDir, filepath.Dir(s.dbPath), s.gcrootsDir(), filepath.Join(s.gcrootsDir(), "auto"),
		s.profilesDir(), s.temprootsDir()} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("open store %s: %w", root, err)
		}
	}
	if s.lockFile, err = os.OpenFile(filepath.Join(s.stateDir, "gc.lock"), os.O_RDWR|os.O_CREATE, 0o600); err != nil {
		return nil, fmt.Errorf("open store %s: %w", root, err)
	}
	if err := s.initDB(); err != nil {
		s.lockFile.Close()
		return nil, fmt.Errorf("open store %s: %w", root, err)
	}
	return s, nil
}

// Close releases the store's locks and its temp roots: paths this process
// added are no longer protected from GC (unless another open Store of the
// same root in this process still holds them).
func (s *Store) Close() error {
	var err error
	s.closeOnce.Do(func() {
		s.tempMu.Lock()
		if s.tempRoots != nil {
			s.tempRoots.release()
			s.tempRoots = nil
		}
		s.tempMu.Unlock()
		s.db.close()
		err = s.lockFile.Close()
	})
	return err
}

// Root returns the store's root directory R.
func (s *Store) Root() string { return s.root }

// RealPath returns where the store path p lives on disk: R + p.
func (s *Store) RealPath(p storepath.Path) string {
	return filepath.Join(s.root, string(p))
}

func (s *Store) gcrootsDir() string   { return filepath.Join(s.stateDir, "gcroots") }
func (s *Store) profilesDir() string  { return filepath.Join(s.stateDir, "profiles") }
func (s *Store) temprootsDir() string { return filepath.Join(s.stateDir, "temproots") }
