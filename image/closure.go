package image

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// ScanClosure computes the closure of roots in the store under storeRoot by
// scanning each path's NAR for the hash parts of the store's paths
// (store.ScanPath), as Nix does when it registers a build's references. It
// serves stores without a database (hand-assembled test stores); a store
// with a database answers from it (store.Store.Closure).
func ScanClosure(storeRoot string, roots []string) ([]string, error) {
	dir := filepath.Join(storeRoot, storepath.Dir)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("scan closure: %w", err)
	}
	byHash := map[string]string{}
	var candidates []storepath.Path
	for _, e := range ents {
		if p, err := storepath.FromBase(e.Name()); err == nil {
			byHash[p.HashPart()] = string(p)
			candidates = append(candidates, p)
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
		_, _, refs, err := store.ScanPath(filepath.Join(storeRoot, p), candidates)
		if err != nil {
			return nil, fmt.Errorf("scan closure %s: %w", p, err)
		}
		for _, r := range refs {
			queue = append(queue, string(r))
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out, nil
}
