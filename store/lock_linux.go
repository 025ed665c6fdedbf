package store

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"

	"github.com/frazil/frazil/store/storepath"
)

// LockShared takes the store's shared lock (a shared flock on gc.lock),
// which keeps GC and Verify out until unlock is called. Adds take it
// themselves; the builder holds it while building. It may be taken several
// times; the flock is held while any holder remains. A goroutine holding it
// must not call GC or Verify (they would wait for it forever).
func (s *Store) LockShared() (unlock func(), err error) {
	s.sharedMu.Lock()
	defer s.sharedMu.Unlock()
	if s.shared == 0 {
		if err := flock(s.lockFile, syscall.LOCK_SH); err != nil {
			return nil, fmt.Errorf("lock %s: %w", s.lockFile.Name(), err)
		}
	}
	s.shared++
	var once sync.Once
	return func() {
		once.Do(func() {
			s.sharedMu.Lock()
			defer s.sharedMu.Unlock()
			s.shared--
			if s.shared == 0 {
				flock(s.lockFile, syscall.LOCK_UN)
			}
		})
	}, nil
}

// lockExclusive takes the exclusive lock GC and Verify run under, through
// a file descriptor of its own so that it conflicts with this Store's
// shared holders too.
func (s *Store) lockExclusive() (unlock func(), err error) {
	f, err := os.OpenFile(s.lockFile.Name(), os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	if err := flock(f, syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return func() { f.Close() }, nil
}

func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// tempRootFile is a process's temproots/<pid> file. It stays exclusively
// flocked while the process uses it, which tells GC the process is alive.
// Stores of the same root in one process share it.
type tempRootFile struct {
	path  string
	f     *os.File
	refs  int
	mu    sync.Mutex
	added map[storepath.Path]bool
}

var (
	tempFilesMu sync.Mutex
	tempFiles   = map[string]*tempRootFile{}
)

// acquireTempRoots opens (or shares) this process's temp roots file.
func acquireTempRoots(dir string) (*tempRootFile, error) {
	p := filepath.Join(dir, strconv.Itoa(os.Getpid()))
	tempFilesMu.Lock()
	defer tempFilesMu.Unlock()
	if t := tempFiles[p]; t != nil {
		t.refs++
		return t, nil
	}
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	// A file left by a dead process with our pid is not locked; take it
	// over and drop its contents.
	if err := flock(f, syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return nil, err
	}
	t := &tempRootFile{path: p, f: f, refs: 1, added: map[storepath.Path]bool{}}
	tempFiles[p] = t
	return t, nil
}

// release drops one user; the last one removes the file.
func (t *tempRootFile) release() {
	tempFilesMu.Lock()
	defer tempFilesMu.Unlock()
	t.refs--
	if t.refs == 0 {
		os.Remove(t.path)
		t.f.Close()
		delete(tempFiles, t.path)
	}
}

// AddTempRoot protects p from GC for as long as this process keeps the
// store open. Every add makes the added path a temp root itself.
func (s *Store) AddTempRoot(p storepath.Path) error {
	unlock, err := s.LockShared()
	if err != nil {
		return err
	}
	defer unlock()
	return s.addTempRootLocked(p)
}

// addTempRootLocked records a temp root; the caller holds the shared lock,
// so no GC is reading the file meanwhile.
func (s *Store) addTempRootLocked(p storepath.Path) error {
	s.tempMu.Lock()
	if s.tempRoots == nil {
		t, err := acquireTempRoots(s.temprootsDir())
		if err != nil {
			s.tempMu.Unlock()
			return fmt.Errorf("add temp root %s: %w", p, err)
		}
		s.tempRoots = t
	}
	t := s.tempRoots
	s.tempMu.Unlock()
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.added[p] {
		return nil
	}
	if _, err := t.f.WriteString(string(p) + "\n"); err != nil {
		return fmt.Errorf("add temp root %s: %w", p, err)
	}
	t.added[p] = true
	return nil
}

// readTempRoots returns the temp roots of live processes and removes the
// files of dead ones. The caller holds the exclusive lock.
func (s *Store) readTempRoots(removeStale bool) ([]storepath.Path, error) {
	entries, err := os.ReadDir(s.temprootsDir())
	if err != nil {
		return nil, err
	}
	var roots []storepath.Path
	for _, e := range entries {
		p := filepath.Join(s.temprootsDir(), e.Name())
		ps, err := readTempRootFile(p, removeStale)
		if err != nil {
			return nil, fmt.Errorf("temp roots %s: %w", p, err)
		}
		roots = append(roots, ps...)
	}
	return roots, nil
}

func readTempRootFile(p string, removeStale bool) ([]storepath.Path, error) {
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err == nil {
		// Nobody holds it: its process is gone.
		if removeStale {
			os.Remove(p)
		}
		return nil, nil
	}
	var roots []storepath.Path
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sp, err := storepath.Parse(sc.Text()); err == nil {
			roots = append(roots, sp)
		}
	}
	return roots, sc.Err()
}
