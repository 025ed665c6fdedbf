package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/frazil/frazil/generations"
	"github.com/frazil/frazil/image"
	"github.com/frazil/frazil/image/bootloader"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// imageCommand is the image verb, registered in main.go.
var imageCommand = command{"build a bootable disk image from a toplevel or a profile", runImage}

const imageUsage = `usage: frazil image build (--toplevel PATH | --profile DIR) [--store DIR] -o disk.img [flags]

Writes a raw disk image (GPT; BIOS boot partition on x86, FAT32 ESP, ext4
root labelled frazil-root) holding the closure of every generation, the
profile and a boot menu listing the generations newest first.
`

func runImage(args []string) error {
	fs := flag.NewFlagSet("image", flag.ContinueOnError)
	var o image.Options
	fs.StringVar(&o.Toplevel, "toplevel", "", "toplevel store `path`: the image's only generation")
	fs.StringVar(&o.Profile, "profile", "", "profile `path` whose every generation goes into the image")
	fs.StringVar(&o.StoreRoot, "store", "/", "store root `DIR` holding the paths")
	fs.StringVar(&o.Output, "o", "disk.img", "output `file`")
	free := fs.String("free", "64M", "free `space` in the root file system (K, M, G suffixes)")
	espSize := fs.String("esp-size", "", "ESP `size` (default: twice the boot files, at least 34M)")
	bios := fs.Bool("bios", false, "install the BIOS loader only")
	uefi := fs.Bool("uefi", false, "install the UEFI loader only")
	fs.IntVar(&o.Menu.Timeout, "timeout", 5, "boot menu timeout in `seconds` (boot.loader.timeout; -1 waits)")
	fs.IntVar(&o.Menu.Limit, "limit", 100, "at most `N` menu entries (configurationLimit)")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	fs.Usage = func() { fmt.Fprint(os.Stderr, imageUsage); fs.PrintDefaults() }
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return errUsage
	}
	if len(pos) != 1 || pos[0] != "build" {
		fs.Usage()
		return errUsage
	}
	if o.FreeSpace, err = parseSize(*free); err != nil {
		return err
	}
	if *espSize != "" {
		if o.ESPSize, err = parseSize(*espSize); err != nil {
			return err
		}
	}
	if *bios {
		o.Firmware |= bootloader.BIOS
	}
	if *uefi {
		o.Firmware |= bootloader.UEFI
	}
	o.Progress = os.Stderr
	closeStore, err := useStoreDatabase(&o)
	if err != nil {
		return err
	}
	defer closeStore()
	res, err := image.Build(o)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(map[string]any{"image": o.Output, "size": res.Layout.Size,
			"layout": res.Layout, "paths": res.Paths, "espVolumeID": res.ESPVolumeID, "menu": res.Menu})
	}
	fmt.Fprintf(os.Stderr, "%s: %s, %d store paths, %d menu entries\n", o.Output, res.Layout, len(res.Paths), len(res.Menu.Entries))
	fmt.Println(o.Output)
	return nil
}

// useStoreDatabase makes the image take its closure from the store's
// database and register the closure in a database of its own, when the
// store knows the generations' toplevels. A store without them (assembled
// by hand) is copied by scanning for references, with no database.
func useStoreDatabase(o *image.Options) (func(), error) {
	src, err := store.Open(o.StoreRoot)
	if err != nil {
		return nil, err
	}
	roots, err := imageRoots(o)
	if err != nil {
		src.Close()
		return nil, err
	}
	for _, r := range roots {
		if ok, err := src.IsValid(r); err != nil || !ok {
			fmt.Fprintf(os.Stderr, "warning: %s is not registered in the store at %s: copying without a store database\n", r, o.StoreRoot)
			src.Close()
			return func() {}, nil
		}
	}
	o.Closure = func(roots []string) ([]string, error) {
		ps, err := src.Closure(toPaths(roots))
		return fromPaths(ps), err
	}
	o.Database = func(dir string, paths []string) error { return copyRegistrations(src, dir, paths) }
	return func() { src.Close() }, nil
}

// imageRoots lists the toplevels the image will hold.
func imageRoots(o *image.Options) ([]storepath.Path, error) {
	if o.Toplevel != "" {
		p, err := storepath.Parse(o.Toplevel)
		return []storepath.Path{p}, err
	}
	prof, err := generations.Open(o.Profile, o.StoreRoot)
	if err != nil {
		return nil, err
	}
	gens, err := prof.List()
	var out []storepath.Path
	for _, g := range gens {
		p, perr := storepath.Parse(g.Target)
		if perr != nil {
			return nil, fmt.Errorf("generation %d: %w", g.Number, perr)
		}
		out = append(out, p)
	}
	return out, err
}

// copyRegistrations registers paths, with their infos from src, in a new
// store database under dir. The store there holds only empty stand-ins of
// the paths (the image copies contents from src itself).
func copyRegistrations(src *store.Store, dir string, paths []string) error {
	dst, err := store.Open(dir)
	if err != nil {
		return err
	}
	defer dst.Close()
	var infos []*store.PathInfo
	for _, p := range toPaths(paths) {
		info, err := src.QueryPathInfo(p)
		if err != nil {
			return err
		}
		if err := os.Mkdir(dst.RealPath(p), 0o555); err != nil {
			return err
		}
		infos = append(infos, info)
	}
	return dst.Register(infos)
}

func toPaths(ss []string) []storepath.Path {
	out := make([]storepath.Path, len(ss))
	for i, s := range ss {
		out[i] = storepath.Path(s)
	}
	return out
}

func fromPaths(ps []storepath.Path) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = string(p)
	}
	return out
}

// parseSize parses "64M", "1G", "512K" or a byte count.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult = 1 << 10
	case strings.HasSuffix(s, "M"):
		mult = 1 << 20
	case strings.HasSuffix(s, "G"):
		mult = 1 << 30
	}
	n, err := strconv.ParseInt(strings.TrimRight(s, "KMG"), 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("invalid size %q", s)
	}
	return n * mult, nil
}
