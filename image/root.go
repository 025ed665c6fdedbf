package image

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// A node is one entry of the root file system.
type node struct {
	path   string // absolute, in the image
	mode   fs.FileMode
	src    string // regular files: host file to copy
	size   int64
	target string // symlinks
	mtime  time.Time
}

// A tree is the root file system's contents before it is written.
type tree struct {
	nodes map[string]*node
}

func newTree() *tree { return &tree{nodes: map[string]*node{}} }

// dir adds a directory and its missing parents (0755, mtime t).
func (t *tree) dir(p string, mode fs.FileMode, mtime time.Time) {
	if p == "/" {
		return
	}
	t.dir(filepath.Dir(p), 0o755, mtime)
	if n, ok := t.nodes[p]; ok && n.mode.IsDir() {
		if mode != 0o755 {
			n.mode = fs.ModeDir | mode
		}
		return
	}
	t.nodes[p] = &node{path: p, mode: fs.ModeDir | mode, mtime: mtime}
}

func (t *tree) symlink(p, target string, mtime time.Time) {
	t.dir(filepath.Dir(p), 0o755, mtime)
	t.nodes[p] = &node{path: p, mode: fs.ModeSymlink | 0o777, target: target, mtime: mtime}
}

func (t *tree) file(p, src string, size int64, mode fs.FileMode, mtime time.Time) {
	t.dir(filepath.Dir(p), 0o755, mtime)
	t.nodes[p] = &node{path: p, mode: mode, src: src, size: size, mtime: mtime}
}

// copyHost adds the host tree at src as dst. With canonical set, modes and
// times are Nix's canonical ones (0444/0555, mtime 1), as in a store.
func (t *tree) copyHost(src, dst string, canonical bool, mtime time.Time) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		ip := filepath.Join(dst, rel)
		fi, err := d.Info()
		if err != nil {
			return err
		}
		mode, mt := fi.Mode().Perm(), mtime
		if canonical {
			mode, mt = 0o444, time.Unix(1, 0)
			if fi.Mode()&0o111 != 0 {
				mode = 0o555
			}
		}
		switch {
		case d.IsDir():
			if canonical {
				mode = 0o555
			}
			t.dir(ip, mode, mt)
			t.nodes[ip].mtime = mt
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			t.symlink(ip, target, mt)
		case d.Type().IsRegular():
			t.file(ip, p, fi.Size(), mode, mt)
		default:
			return fmt.Errorf("%s: unsupported file type %s", p, fi.Mode().Type())
		}
		return nil
	})
}

// sorted returns the nodes with parents before children.
func (t *tree) sorted() []*node {
	out := make([]*node, 0, len(t.nodes))
	for _, n := range t.nodes {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

// dataSize estimates the bytes the tree needs on ext4 with 4 KiB blocks.
func (t *tree) dataSize() int64 {
	var total int64
	for _, n := range t.nodes {
		switch {
		case n.mode.IsDir():
			total += 4096
		case n.mode&fs.ModeSymlink != 0:
			if len(n.target) >= 60 {
				total += 4096
			}
		default:
			total += alignUp(n.size, 4096)
			if n.size > 4*mib { // extent tree blocks
				total += 4096 * (n.size/(128*mib) + 1)
			}
		}
	}
	return total
}

// progress reports bytes written, at most every 1% of the total.
type progress struct {
	w            io.Writer
	what         string
	total, done  int64
	lastPercent  int
	start        time.Time
	everReported bool
}

func (p *progress) add(n int64) {
	if p == nil || p.w == nil {
		return
	}
	p.done += n
	pc := 100
	if p.total > 0 {
		pc = int(p.done * 100 / p.total)
	}
	if pc > p.lastPercent || !p.everReported {
		p.lastPercent, p.everReported = pc, true
		fmt.Fprintf(p.w, "\r%s: %3d%% (%d/%d MiB)", p.what, min(pc, 100), p.done/mib, p.total/mib)
	}
}

func (p *progress) finish() {
	if p != nil && p.w != nil && p.everReported {
		fmt.Fprintf(p.w, "\r%s: done, %d MiB in %.1fs\n", p.what, p.done/mib, time.Since(p.start).Seconds())
	}
}
