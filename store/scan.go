package store

import (
	"crypto/sha256"
	"fmt"

	"github.com/frazil/frazil/store/nar"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/refscan"
	"github.com/frazil/frazil/store/storepath"
)

// ScanPath serialises the tree at realPath once and returns its NAR hash
// and size and those of candidates whose hash parts occur in it: what a
// builder needs to register an output (candidates being the build's input
// closure and its own outputs).
func ScanPath(realPath string, candidates []storepath.Path) (nixhash.Hash, uint64, []storepath.Path, error) {
	h := sha256.New()
	count := &countWriter{}
	sc := refscan.ForPaths(candidates)
	if err := nar.DumpPath(scanSink{h, count, sc}, realPath); err != nil {
		return nixhash.Hash{}, 0, nil, fmt.Errorf("scan %s: %w", realPath, err)
	}
	return nixhash.Hash{Algo: nixhash.SHA256, Digest: h.Sum(nil)}, count.n, sc.FoundPaths(candidates), nil
}

// scanSink feeds a hash, a counter and a reference scanner, none of which
// fails.
type scanSink [3]interface{ Write([]byte) (int, error) }

func (s scanSink) Write(p []byte) (int, error) {
	for _, w := range s {
		w.Write(p)
	}
	return len(p), nil
}
