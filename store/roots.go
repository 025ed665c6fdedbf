package store

import (
	"crypto/sha1"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/frazil/frazil/store/nixbase32"
	"github.com/frazil/frazil/store/storepath"
)

// maxLinkHops bounds how many symlinks a root may go through.
const maxLinkHops = 40

// findRoots returns the GC roots: symlinks under gcroots/ and profiles/
// (searched recursively) that lead, possibly through further symlinks, into
// the store, plus files under gcroots/ named like a store path, plus
// R/run/current-system and R/run/booted-system. The map goes from the link
// to the store path. An indirect root (gcroots/auto/*) whose link has
// disappeared is stale and removed when removeStale is set.
func (s *Store) findRoots(removeStale bool) (map[string]storepath.Path, error) {
	roots := map[string]storepath.Path{}
	for _, dir := range []string{s.gcrootsDir(), s.profilesDir()} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil
				}
				return err
			}
			switch {
			case d.Type()&fs.ModeSymlink != 0:
				return s.linkRoot(p, roots, removeStale)
			case d.Type().IsRegular() && dir == s.gcrootsDir():
				if sp, err := storepath.FromBase(d.Name()); err == nil {
					roots[p] = sp
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("find roots in %s: %w", dir, err)
		}
	}
	for _, l := range []string{"run/current-system", "run/booted-system"} {
		if err := s.linkRoot(filepath.Join(s.root, l), roots, false); err != nil {
			return nil, err
		}
	}
	return roots, nil
}

// linkRoot follows the symlink link into the store and records the store
// path it reaches.
func (s *Store) linkRoot(link string, roots map[string]storepath.Path, removeStale bool) error {
	cur := link
	for hop := 0; hop < maxLinkHops; hop++ {
		target, err := os.Readlink(cur)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.EINVAL) {
			return nil // gone, or not a symlink (and not in the store)
		}
		if err != nil {
			return fmt.Errorf("read root %s: %w", cur, err)
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(cur), target)
		}
		if sp, ok := s.storePathOf(target); ok {
			roots[link] = sp
			return nil
		}
		if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) {
			if removeStale && filepath.Dir(link) == filepath.Join(s.gcrootsDir(), "auto") {
				os.Remove(link)
			}
			return nil
		}
		cur = target
	}
	return nil
}

// storePathOf returns the store path that the file p (a logical
// /nix/store/… path or one under R) is in.
func (s *Store) storePathOf(p string) (storepath.Path, bool) {
	for _, dir := range []string{s.storeDir, storepath.Dir} {
		if rest, ok := strings.CutPrefix(p, dir+"/"); ok {
			base, _, _ := strings.Cut(rest, "/")
			if sp, err := storepath.FromBase(base); err == nil {
				return sp, true
			}
		}
	}
	return "", false
}

// AddIndirectRoot makes the symlink at link (for example a `result` link
// made by a build) a GC root: while link exists and leads into the store,
// what it leads to is kept. It records gcroots/auto/<nix32(sha1(abs link))>
// pointing at link, as Nix does.
func (s *Store) AddIndirectRoot(link string) error {
	abs, err := filepath.Abs(link)
	if err != nil {
		return fmt.Errorf("add indirect root %s: %w", link, err)
	}
	sum := sha1.Sum([]byte(abs))
	name := filepath.Join(s.gcrootsDir(), "auto", nixbase32.EncodeToString(sum[:]))
	if err := replaceSymlink(abs, name); err != nil {
		return fmt.Errorf("add indirect root %s: %w", link, err)
	}
	return nil
}

// AddPermRoot points the symlink link at the store path p (replacing what
// link was, atomically) and registers it as an indirect root.
func (s *Store) AddPermRoot(p storepath.Path, link string) error {
	if err := replaceSymlink(s.RealPath(p), link); err != nil {
		return fmt.Errorf("add root %s: %w", link, err)
	}
	return s.AddIndirectRoot(link)
}

// replaceSymlink atomically makes link a symlink to target.
func replaceSymlink(target, link string) error {
	tmp := fmt.Sprintf("%s.tmp-%d", link, os.Getpid())
	os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, link); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(filepath.Dir(link))
}
