package image

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/frazil/frazil/store/storepath"
)

// ScanClosure computes the closure of roots in the store under storeRoot by
// scanning file contents and symlink targets for the hash parts of the
// store's paths, as Nix does when it registers a build's references. It
// serves stores without a database (hand-assembled test stores); a store
// with a database answers from it (store.Store.Closure).
func ScanClosure(storeRoot string, roots []string) ([]string, error) {
	dir := filepath.Join(storeRoot, storepath.Dir)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("scan closure: %w", err)
	}
	byHash := map[string]string{}
	for _, e := range ents {
		if p, err := storepath.FromBase(e.Name()); err == nil {
			byHash[p.HashPart()] = string(p)
		}
	}
	seen := map[string]bool{}
	queue := append([]string(nil), roots...)
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		sp, err := storepath.Parse(p)
		if err != nil {
			return nil, fmt.Errorf("scan closure: %w", err)
		}
		if _, ok := byHash[sp.HashPart()]; !ok {
			return nil, fmt.Errorf("scan closure: %s is not in the store %s", p, storeRoot)
		}
		seen[p] = true
		refs, err := scanRefs(filepath.Join(storeRoot, p), byHash)
		if err != nil {
			return nil, fmt.Errorf("scan closure %s: %w", p, err)
		}
		queue = append(queue, refs...)
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}

// scanRefs returns the store paths whose hash parts occur in the tree at real.
func scanRefs(real string, byHash map[string]string) ([]string, error) {
	found := map[string]bool{}
	err := filepath.WalkDir(real, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		var data []byte
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			t, err := os.Readlink(p)
			if err != nil {
				return err
			}
			data = []byte(t)
		case d.Type().IsRegular():
			if data, err = os.ReadFile(p); err != nil {
				return err
			}
		default:
			return nil
		}
		findHashes(data, byHash, found)
		return nil
	})
	var out []string
	for p := range found {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, err
}

// findHashes adds to found every store path whose hash part occurs in data.
func findHashes(data []byte, byHash map[string]string, found map[string]bool) {
	run := 0
	for i, c := range data {
		if !isNix32[c] {
			run = 0
			continue
		}
		run++
		if run >= storepath.DigestLen {
			if p, ok := byHash[string(data[i+1-storepath.DigestLen:i+1])]; ok {
				found[p] = true
			}
		}
	}
}

var isNix32 = func() (t [256]bool) {
	for _, c := range "0123456789abcdfghijklmnpqrsvwxyz" {
		t[c] = true
	}
	return t
}()
