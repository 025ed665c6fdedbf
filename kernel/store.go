package kernel

import (
	"fmt"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// AddToStore adds an imported tree to s as its fixed-output path
// (recursive sha256, name linux-<version>) and checks that the path is the
// one recorded in the tree (and so in the lock).
func AddToStore(s *store.Store, t *Tree) (storepath.Path, error) {
	info, err := s.AddTree(t.Dir, "linux-"+t.Version, storepath.Recursive, nil)
	if err != nil {
		return "", fmt.Errorf("add kernel %s to the store: %w", t.Version, err)
	}
	if info.Path != t.StorePath {
		return "", fmt.Errorf("add kernel %s to the store: got %s, the import computed %s", t.Version, info.Path, t.StorePath)
	}
	if !info.NarHash.Equal(t.NarHash) {
		return "", fmt.Errorf("add kernel %s to the store: NAR hash %s, the import computed %s", t.Version, info.NarHash, t.NarHash)
	}
	return info.Path, nil
}
