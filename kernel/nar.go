package kernel

import (
	"crypto/sha256"
	"fmt"

	"github.com/frazil/frazil/store/nar"
	"github.com/frazil/frazil/store/nixhash"
)

// NarHash returns the sha256 of the NAR serialisation of the tree at p, the
// hash a recursive fixed-output store path is made from.
func NarHash(p string) (nixhash.Hash, error) {
	h := sha256.New()
	if err := nar.DumpPath(h, p); err != nil {
		return nixhash.Hash{}, fmt.Errorf("nar hash %s: %w", p, err)
	}
	return nixhash.Hash{Algo: nixhash.SHA256, Digest: h.Sum(nil)}, nil
}
