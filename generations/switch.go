package generations

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/frazil/frazil/internal/faultpoint"
)

// Lock takes the profile's exclusive lock (flock on PROFILE.lock, as Nix
// does), creating the profile directory if needed. Call unlock to release it.
func (p *Profile) Lock() (unlock func(), err error) {
	if err := os.MkdirAll(p.dir(), 0o755); err != nil {
		return nil, fmt.Errorf("lock profile %s: %w", p.Path, err)
	}
	f, err := os.OpenFile(p.Path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock profile %s: %w", p.Path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock profile %s: %w", p.Path, err)
	}
	return func() { f.Close() }, nil
}

// Set makes target (a logical store path) the profile's current generation,
// like `nix-env -p PROFILE --set TARGET`: a new generation N+1 unless the
// newest generation already points at target, then the profile is switched
// to it. It reports the generation and whether it is new.
func (p *Profile) Set(target string) (g Generation, created bool, err error) {
	unlock, err := p.Lock()
	if err != nil {
		return Generation{}, false, err
	}
	defer unlock()
	gens, err := p.List()
	if err != nil {
		return Generation{}, false, err
	}
	n := 1
	if len(gens) > 0 {
		last := gens[len(gens)-1]
		n = last.Number + 1
		if last.Target == target {
			return last, false, p.switchTo(last.Number)
		}
	}
	if err := p.createLink(n, target); err != nil {
		return Generation{}, false, err
	}
	if err := p.switchTo(n); err != nil {
		return Generation{}, false, err
	}
	g, err = p.stat(n)
	g.Current = true
	return g, true, err
}

// createLink writes PROFILE-n-link -> target durably: the symlink is made
// under a temporary name, renamed into place and the directory fsynced.
func (p *Profile) createLink(n int, target string) error {
	link := filepath.Join(p.dir(), p.linkName(n))
	if err := replaceSymlink(target, link); err != nil {
		return fmt.Errorf("create generation %d of %s: %w", n, p.Path, err)
	}
	faultpoint.Hit("generations.link.created")
	return nil
}

// switchTo repoints the profile at generation n (relative target).
func (p *Profile) switchTo(n int) error {
	faultpoint.Hit("generations.switch.begin")
	if err := replaceSymlink(p.linkName(n), p.Path); err != nil {
		return fmt.Errorf("switch profile %s to generation %d: %w", p.Path, n, err)
	}
	faultpoint.Hit("generations.switch.done")
	return nil
}

// replaceSymlink atomically makes link point at target: symlink to
// "<dir>/.<i>_<base>" for the first free i, rename over link, fsync dir.
func replaceSymlink(target, link string) error {
	dir, base := filepath.Dir(link), filepath.Base(link)
	for i := 0; ; i++ {
		tmp := filepath.Join(dir, "."+strconv.Itoa(i)+"_"+base)
		err := os.Symlink(target, tmp)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return err
		}
		faultpoint.Hit("generations.symlink.tmp")
		if err := os.Rename(tmp, link); err != nil {
			os.Remove(tmp)
			return err
		}
		return syncDir(dir)
	}
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}

// SwitchGeneration points the profile at generation n, like
// `nix-env --switch-generation N`.
func (p *Profile) SwitchGeneration(n int) error {
	unlock, err := p.Lock()
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := os.Lstat(filepath.Join(p.dir(), p.linkName(n))); err != nil {
		return fmt.Errorf("profile version %d does not exist: %w", n, ErrNoGeneration)
	}
	return p.switchTo(n)
}

// Rollback points the profile at the newest generation older than the
// current one, like `nix-env --rollback`, and returns both numbers.
func (p *Profile) Rollback() (from, to int, err error) {
	unlock, err := p.Lock()
	if err != nil {
		return 0, 0, err
	}
	defer unlock()
	gens, err := p.List()
	if err != nil {
		return 0, 0, err
	}
	cur, err := p.currentNumber()
	if err != nil {
		return 0, 0, err
	}
	for i := len(gens) - 1; i >= 0; i-- {
		if gens[i].Number < cur {
			return cur, gens[i].Number, p.switchTo(gens[i].Number)
		}
	}
	return cur, 0, fmt.Errorf("no profile version older than the current (%d) exists: %w", cur, ErrNoGeneration)
}
