package narinfo

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/frazil/frazil/store/storepath"
)

// CacheInfoMIMEType is the content type of nix-cache-info.
const CacheInfoMIMEType = "text/x-nix-cache-info"

// CacheInfo is the parsed form of a cache's "nix-cache-info" file.
type CacheInfo struct {
	StoreDir      string // must be /nix/store for a cache this store can use
	WantMassQuery bool   // the cache is cheap to query for many paths
	Priority      int    // lower is preferred; 0 means not stated
}

// ParseCacheInfo parses nix-cache-info as Nix does: "Key: value" lines,
// values trimmed, lines without a colon and unknown keys ignored. whence
// names the file in errors.
func ParseCacheInfo(data []byte, whence string) (*CacheInfo, error) {
	ci := &CacheInfo{}
	for i, line := range strings.Split(string(data), "\n") {
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch key {
		case "StoreDir":
			ci.StoreDir = value
		case "WantMassQuery":
			ci.WantMassQuery = value == "1"
		case "Priority":
			n, err := strconv.Atoi(value)
			if err != nil {
				return nil, fmt.Errorf("cache info '%s': invalid Priority '%s' at line %d", whence, value, i+1)
			}
			ci.Priority = n
		}
	}
	return ci, nil
}

// CheckStoreDir returns an error unless the cache is for /nix/store (a
// missing StoreDir is taken to mean /nix/store).
func (ci *CacheInfo) CheckStoreDir(cache string) error {
	if ci.StoreDir != "" && ci.StoreDir != storepath.Dir {
		return fmt.Errorf("binary cache '%s' is for Nix stores with prefix '%s', not '%s'", cache, ci.StoreDir, storepath.Dir)
	}
	return nil
}

// Bytes returns the file's text: StoreDir, then WantMassQuery and Priority
// when set.
func (ci *CacheInfo) Bytes() []byte {
	dir := ci.StoreDir
	if dir == "" {
		dir = storepath.Dir
	}
	s := "StoreDir: " + dir + "\n"
	if ci.WantMassQuery {
		s += "WantMassQuery: 1\n"
	}
	if ci.Priority != 0 {
		s += "Priority: " + strconv.Itoa(ci.Priority) + "\n"
	}
	return []byte(s)
}
