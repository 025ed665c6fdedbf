// Package testtree generates directory trees for the store's tests and
// benchmarks: files of many sizes, executables, symlinks (relative,
// absolute, dangling), nested and empty directories, empty files and
// unicode names, deterministically from a seed.
package testtree

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// Options shape a generated tree.
type Options struct {
	Seed     uint64
	Entries  int   // how many nodes to create (roughly)
	MaxDepth int   // deepest directory nesting
	MaxFile  int64 // largest file size
	Large    bool  // add one file of 3 MiB + 5 bytes (several buffers, odd padding)
}

var names = []string{
	"a", "b", "README", "main.go", "lib", "bin", "share", ".hidden", "x.tar.gz",
	"grüße", "日本語", "emoji-🙂", "Ω", "with space", "-dash", "UPPER", "a.b", "a-b", "ab",
}

// Generate creates a tree at dir (which must not exist) and returns dir.
func Generate(dir string, o Options) error {
	if o.MaxDepth == 0 {
		o.MaxDepth = 4
	}
	if o.MaxFile == 0 {
		o.MaxFile = 64 << 10
	}
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	dirs := []string{dir}
	for i := 0; i < o.Entries; i++ {
		parent := dirs[r.IntN(len(dirs))]
		name := fmt.Sprintf("%s%d", names[r.IntN(len(names))], r.IntN(3))
		p := filepath.Join(parent, name)
		if _, err := os.Lstat(p); err == nil {
			continue
		}
		var err error
		switch k := r.IntN(10); {
		case k < 2 && depth(dir, p) < o.MaxDepth:
			err = os.Mkdir(p, 0o755)
			dirs = append(dirs, p)
		case k == 2:
			err = os.Symlink(linkTarget(r), p)
		case k == 3:
			err = os.WriteFile(p, nil, 0o644)
		default:
			err = writeFile(r, p, r.Int64N(o.MaxFile+1), k == 4)
		}
		if err != nil {
			return err
		}
	}
	if o.Large {
		return writeFile(r, filepath.Join(dir, "large.bin"), 3<<20+5, false)
	}
	return nil
}

func depth(root, p string) int {
	rel, _ := filepath.Rel(root, p)
	n := 0
	for _, c := range rel {
		if c == filepath.Separator {
			n++
		}
	}
	return n
}

func linkTarget(r *rand.Rand) string {
	switch r.IntN(3) {
	case 0:
		return "../" + names[r.IntN(len(names))]
	case 1:
		return "/nix/store/00000000000000000000000000000000-dangling"
	}
	return names[r.IntN(len(names))] + "0"
}

// writeFile writes size pseudo-random but compressible bytes.
func writeFile(r *rand.Rand, p string, size int64, exec bool) error {
	buf := make([]byte, size)
	for i := range buf {
		buf[i] = "abcdefgh\n0123456789"[r.IntN(19)]
	}
	mode := os.FileMode(0o644)
	if exec {
		mode = 0o755
	}
	if err := os.WriteFile(p, buf, mode); err != nil {
		return err
	}
	return os.Chmod(p, mode)
}
