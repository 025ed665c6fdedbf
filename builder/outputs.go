package builder

// This file defines what happens to outputs after a successful build:
// they must exist, are made canonical, hashed and scanned for references,
// fixed outputs are checked against their declared hash, and --check
// compares them with the registered ones.

import (
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/derivation"
	"github.com/frazil/frazil/store/nar"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/refscan"
	"github.com/frazil/frazil/store/storepath"
)

// processOutputs checks the outputs of n's build in bd and returns their
// infos. Outputs that are valid already are skipped unless check is set.
func (b *Builder) processOutputs(n *node, bd *buildDir, inputs []storepath.Path, check bool) ([]*store.PathInfo, error) {
	candidates := append([]storepath.Path(nil), inputs...)
	for _, p := range n.outputs {
		candidates = append(candidates, p)
	}
	var infos []*store.PathInfo
	for _, name := range sortedKeys(n.outputs) {
		p := n.outputs[name]
		if !check {
			if valid, err := b.store.IsValid(p); err != nil || valid {
				if err != nil {
					return nil, err
				}
				continue
			}
		}
		info, err := b.processOutput(n, name, bd.outPath(p), candidates)
		if err != nil {
			return nil, err
		}
		infos = append(infos, info)
	}
	if err := checkCycles(n, infos); err != nil {
		return nil, err
	}
	return infos, nil
}

func (b *Builder) processOutput(n *node, name, tmp string, candidates []storepath.Path) (*store.PathInfo, error) {
	p := n.outputs[name]
	if _, err := os.Lstat(tmp); os.IsNotExist(err) {
		return nil, fmt.Errorf("builder for '%s' failed to produce output path for output '%s' at '%s'", n.path, name, p)
	} else if err != nil {
		return nil, err
	}
	if err := canonicalise(tmp); err != nil {
		return nil, err
	}
	info, err := narInfo(tmp, candidates)
	if err != nil {
		return nil, err
	}
	info.Path, info.Deriver, info.Ultimate = p, n.path, true
	if fh, fixed, err := n.drv.Outputs[name].Fixed(); err != nil {
		return nil, err
	} else if fixed {
		if err := checkFixed(n, name, tmp, fh, info); err != nil {
			return nil, err
		}
	}
	return info, nil
}

// canonicalise gives an output root ownership and the store's modes and
// times. An output that is a symlink is never followed: its target is
// whatever the builder chose, possibly a host file.
func canonicalise(p string) error {
	fi, err := os.Lstat(p)
	if err != nil {
		return err
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		if err := os.Lchown(p, 0, 0); err != nil {
			return fmt.Errorf("canonicalise %s: %w", p, err)
		}
		ts := []unix.Timespec{{Nsec: unix.UTIME_OMIT}, {Sec: 1}}
		return unix.UtimesNanoAt(unix.AT_FDCWD, p, ts, unix.AT_SYMLINK_NOFOLLOW)
	}
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(path, 0, 0)
	})
	if err != nil {
		return fmt.Errorf("canonicalise %s: %w", p, err)
	}
	return store.Canonicalise(p)
}

// narInfo hashes the NAR of the tree at p and finds which candidates it
// refers to, in one pass.
func narInfo(p string, candidates []storepath.Path) (*store.PathInfo, error) {
	h := sha256.New()
	var size countWriter
	scan := refscan.ForPaths(candidates)
	if err := nar.DumpPath(io.MultiWriter(h, &size, scan), p); err != nil {
		return nil, err
	}
	return &store.PathInfo{
		NarHash:    nixhash.Hash{Algo: nixhash.SHA256, Digest: h.Sum(nil)},
		NarSize:    uint64(size),
		References: scan.FoundPaths(candidates),
	}, nil
}

type countWriter uint64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

// checkFixed verifies a fixed output against its declared hash and records
// its content address.
func checkFixed(n *node, name, tmp string, fh derivation.FixedHash, info *store.PathInfo) error {
	got, err := contentHash(tmp, fh, info)
	if err != nil {
		return err
	}
	if !got.Equal(fh.Hash) {
		return fmt.Errorf("hash mismatch in fixed-output derivation '%s':\n  specified: %s\n     got:    %s",
			n.path, fh.Hash.SRI(), got.SRI())
	}
	if len(info.References) > 0 {
		return fmt.Errorf("fixed-output derivation '%s' is not allowed to refer to other store paths, but output '%s' refers to %s",
			n.path, name, info.References[0])
	}
	info.CA = storepath.ContentAddress{Method: fh.Method, Hash: fh.Hash}
	return nil
}

// contentHash hashes an output the way its fixed hash was declared: the
// file's bytes (flat, text) or its NAR (recursive).
func contentHash(p string, fh derivation.FixedHash, info *store.PathInfo) (nixhash.Hash, error) {
	if fh.Method == storepath.Recursive {
		if fh.Hash.Algo == nixhash.SHA256 {
			return info.NarHash, nil
		}
		h := fh.Hash.Algo.New()
		if err := nar.DumpPath(h, p); err != nil {
			return nixhash.Hash{}, err
		}
		return nixhash.Hash{Algo: fh.Hash.Algo, Digest: h.Sum(nil)}, nil
	}
	fi, err := os.Lstat(p)
	if err != nil {
		return nixhash.Hash{}, err
	}
	if !fi.Mode().IsRegular() || fi.Mode()&0o100 != 0 {
		return nixhash.Hash{}, fmt.Errorf("output path '%s' should be a non-executable regular file since recursive hashing is not enabled (outputHashMode=flat)", info.Path)
	}
	f, err := os.Open(p)
	if err != nil {
		return nixhash.Hash{}, err
	}
	defer f.Close()
	h := fh.Hash.Algo.New()
	if _, err := io.Copy(h, f); err != nil {
		return nixhash.Hash{}, fmt.Errorf("hash %s: %w", p, err)
	}
	return nixhash.Hash{Algo: fh.Hash.Algo, Digest: h.Sum(nil)}, nil
}

// checkCycles rejects outputs that refer to each other in a cycle (a path
// may refer to itself): such paths could never be registered in order.
func checkCycles(n *node, infos []*store.PathInfo) error {
	byPath := map[storepath.Path]*store.PathInfo{}
	for _, info := range infos {
		byPath[info.Path] = info
	}
	names := map[storepath.Path]string{}
	for name, p := range n.outputs {
		names[p] = name
	}
	const (
		unvisited = iota
		visiting
		visited
	)
	state := map[storepath.Path]int{}
	var visit func(p storepath.Path) error
	visit = func(p storepath.Path) error {
		state[p] = visiting
		for _, r := range byPath[p].References {
			if _, ours := byPath[r]; !ours || r == p || state[r] == visited {
				continue
			}
			if state[r] == visiting {
				return fmt.Errorf("cycle detected in build of '%s' in the references of output '%s' from output '%s'", n.path, names[r], names[p])
			}
			if err := visit(r); err != nil {
				return err
			}
		}
		state[p] = visited
		return nil
	}
	for _, info := range infos {
		if state[info.Path] == unvisited {
			if err := visit(info.Path); err != nil {
				return err
			}
		}
	}
	return nil
}

// compareCheck compares rebuilt outputs with the registered ones.
func (b *Builder) compareCheck(n *node, infos []*store.PathInfo) error {
	for _, info := range infos {
		old, err := b.store.QueryPathInfo(info.Path)
		if err != nil {
			return err
		}
		if !old.NarHash.Equal(info.NarHash) {
			return fmt.Errorf("derivation '%s' may not be deterministic: output '%s' differs:\n  registered: %s\n     rebuilt: %s",
				n.path, info.Path, old.NarHash.SRI(), info.NarHash.SRI())
		}
	}
	return nil
}
