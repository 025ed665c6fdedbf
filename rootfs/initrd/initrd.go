// Package initrd builds a Frazil initrd: a compressed newc cpio archive
// holding the stage-1 program as /init, the closure of the configured kernel
// modules under /lib/modules/<ver>/ (with a modules.dep for just those) and
// /etc/frazil/stage1.json, which lists the modules in load order so that
// stage 1 never parses modules.dep on the device (docs/architecture.md).
//
// The output is deterministic: entries are sorted, every timestamp, owner
// and inode number is fixed, and the compressors run single-threaded with
// no header timestamps, so the same inputs give the same bytes.
package initrd

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/frazil/frazil/init/stage1"
	"github.com/frazil/frazil/internal/faultpoint"
	"github.com/frazil/frazil/kernel/kmod"
	"github.com/klauspost/compress/zstd"
	"github.com/u-root/u-root/pkg/cpio"
)

// Compression of the archive.
const (
	Gzip = "gzip"
	Zstd = "zstd"
	None = "none"
)

// Options describe an initrd.
type Options struct {
	Stage1     string        // the stage-1 binary (static)
	ModulesDir string        // the kernel's lib/modules/<ver>
	Modules    []string      // module names or aliases to include with their closure
	Config     stage1.Config // KernelVersion and Modules are filled in by Build
	// Compression is Gzip (default), Zstd or None.
	Compression string
}

// Build writes the initrd to w.
func Build(w io.Writer, opts Options) error {
	files, err := collect(opts)
	if err != nil {
		return fmt.Errorf("initrd: %w", err)
	}
	cw, finish, err := compressor(w, opts.Compression)
	if err != nil {
		return fmt.Errorf("initrd: %w", err)
	}
	if err := writeArchive(cw, files); err != nil {
		return fmt.Errorf("initrd: %w", err)
	}
	if err := finish(); err != nil {
		return fmt.Errorf("initrd: compress: %w", err)
	}
	return nil
}

// BuildFile writes the initrd to path (temp file, fsync, rename, fsync of
// the directory): path is never a partial archive.
func BuildFile(path string, opts Options) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-initrd")
	if err != nil {
		return fmt.Errorf("initrd: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := Build(tmp, opts); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("initrd: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("initrd: %w", err)
	}
	os.Chmod(tmp.Name(), 0o444)
	faultpoint.Hit("initrd.synced")
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("initrd: %w", err)
	}
	faultpoint.Hit("initrd.renamed")
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// entry is one file of the archive; a nil data with dir set is a directory.
type entry struct {
	name string // without a leading slash
	data []byte
	mode uint64 // permission bits
	dir  bool
	dev  [2]uint64 // character device major, minor when mode has devChar
	char bool
}

// collect gathers every entry, sorted by name, parents before children.
func collect(opts Options) ([]entry, error) {
	init, err := os.ReadFile(opts.Stage1)
	if err != nil {
		return nil, fmt.Errorf("stage 1: %w", err)
	}
	mods, err := kmod.ReadModules(opts.ModulesDir)
	if err != nil {
		return nil, err
	}
	order, err := mods.Closure(opts.Modules)
	if err != nil {
		return nil, err
	}
	cfg := opts.Config
	cfg.KernelVersion = filepath.Base(opts.ModulesDir)
	cfg.Modules = order
	cfgJSON, err := json.MarshalIndent(cfg, "", "  ")
	if err != nil {
		return nil, err
	}
	modRoot := "lib/modules/" + cfg.KernelVersion
	files := []entry{
		{name: "init", data: init, mode: 0o755},
		{name: "etc/frazil/stage1.json", data: append(cfgJSON, '\n'), mode: 0o644},
		{name: "dev/console", mode: 0o600, char: true, dev: [2]uint64{5, 1}},
		{name: modRoot + "/modules.dep", data: mods.DepFile(order), mode: 0o644},
	}
	for _, d := range []string{"proc", "sys", "run", "mnt-root"} {
		files = append(files, entry{name: d, dir: true, mode: 0o755})
	}
	for _, m := range order {
		data, err := os.ReadFile(filepath.Join(opts.ModulesDir, m))
		if err != nil {
			return nil, err
		}
		files = append(files, entry{name: modRoot + "/" + m, data: data, mode: 0o644})
	}
	return withParents(files), nil
}

// withParents adds the missing parent directories and sorts the entries.
func withParents(files []entry) []entry {
	have := map[string]bool{}
	for _, f := range files {
		have[f.name] = true
	}
	for _, f := range files {
		for d := path.Dir(f.name); d != "." && !have[d]; d = path.Dir(d) {
			have[d] = true
			files = append(files, entry{name: d, dir: true, mode: 0o755})
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].name < files[j].name })
	return files
}

// writeArchive writes the entries as newc records with fixed metadata.
func writeArchive(w io.Writer, files []entry) error {
	rw := cpio.Newc.Writer(w)
	for i, f := range files {
		info := cpio.Info{Name: f.name, Ino: uint64(i + 1), NLink: 1, Mode: f.mode}
		var rec cpio.Record
		switch {
		case f.dir:
			info.Mode |= cpio.S_IFDIR
			info.NLink = 2
			rec = cpio.Record{ReaderAt: bytes.NewReader(nil), Info: info}
		case f.char:
			info.Mode |= cpio.S_IFCHR
			info.Rmajor, info.Rminor = f.dev[0], f.dev[1]
			rec = cpio.Record{ReaderAt: bytes.NewReader(nil), Info: info}
		default:
			info.Mode |= cpio.S_IFREG
			info.FileSize = uint64(len(f.data))
			rec = cpio.Record{ReaderAt: bytes.NewReader(f.data), Info: info}
		}
		if err := rw.WriteRecord(rec); err != nil {
			return fmt.Errorf("cpio %s: %w", f.name, err)
		}
	}
	return cpio.WriteTrailer(rw)
}

// compressor wraps w; finish flushes and closes the compressor.
func compressor(w io.Writer, kind string) (io.Writer, func() error, error) {
	switch strings.ToLower(kind) {
	case "", Gzip:
		zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
		return zw, zw.Close, err
	case Zstd:
		zw, err := zstd.NewWriter(w, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedBestCompression), zstd.WithWindowSize(1<<20))
		if err != nil {
			return nil, nil, err
		}
		return zw, zw.Close, nil
	case None:
		return w, func() error { return nil }, nil
	}
	return nil, nil, fmt.Errorf("unknown compression %q (want gzip, zstd or none)", kind)
}
