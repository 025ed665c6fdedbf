package image

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	diskfs "github.com/diskfs/go-diskfs"
	"github.com/diskfs/go-diskfs/backend/file"

	"github.com/frazil/frazil/generations"
	"github.com/frazil/frazil/image/bootloader"
)

// Options say what goes into an image.
type Options struct {
	Output    string // the raw image file (written as Output.tmp, then renamed)
	StoreRoot string // the store's root: paths are read from StoreRoot/nix/store
	// Exactly one of Profile (a profile whose every generation is kept) and
	// Toplevel (a single toplevel, which becomes generation 1).
	Profile, Toplevel string
	Arch              bootloader.Arch     // default: the current toplevel's system file
	Firmware          bootloader.Firmware // default: BIOS and UEFI on x86, UEFI elsewhere
	FreeSpace         int64               // free bytes in the root file system
	ESPSize           int64               // default: room for the boot files twice over, at least MinESPSize
	Menu              bootloader.MenuOptions
	// Time stamps non-store files and a Toplevel's generation; default
	// $SOURCE_DATE_EPOCH, else now.
	Time time.Time
	Seed string // GUIDs and UUIDs derive from it; default: the generations' toplevels
	// Closure returns the closure of store paths; default ScanClosure.
	Closure func(roots []string) ([]string, error)
	// Database, if set, writes the store database registering paths under
	// dir (dir/nix/var/nix/db), typically by opening a store rooted at dir.
	Database func(dir string, paths []string) error
	Progress io.Writer // progress lines; nil for none
}

// DefaultFreeSpace is the root file system's default free space.
const DefaultFreeSpace = 64 * mib

// A Result describes a written image.
type Result struct {
	Layout      Layout
	Paths       []string // the store paths copied
	Menu        bootloader.Menu
	ESPVolumeID string
}

// Build writes the image described by o.
func Build(o Options) (*Result, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	stage, err := os.MkdirTemp("", "frazil-image-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stage)
	prof, err := o.profile(stage)
	if err != nil {
		return nil, err
	}
	gens, err := prof.List()
	if err != nil {
		return nil, err
	}
	if len(gens) == 0 {
		return nil, fmt.Errorf("image: profile %s has no generations", prof.Path)
	}
	var roots []string
	for _, g := range gens {
		roots = append(roots, g.Target)
	}
	if o.Seed == "" {
		o.Seed = strings.Join(roots, "\n")
	}
	if err := o.detectArch(prof); err != nil {
		return nil, err
	}
	paths, err := o.Closure(roots)
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	t, err := o.rootTree(stage, prof, gens, paths)
	if err != nil {
		return nil, err
	}
	res, err := o.write(stage, prof, t)
	if err != nil {
		return nil, err
	}
	res.Paths = paths
	return res, nil
}

func (o *Options) defaults() error {
	if (o.Profile == "") == (o.Toplevel == "") {
		return fmt.Errorf("image: give exactly one of a profile and a toplevel")
	}
	if o.Output == "" {
		return fmt.Errorf("image: no output file")
	}
	if o.FreeSpace == 0 {
		o.FreeSpace = DefaultFreeSpace
	}
	if o.Time.IsZero() {
		o.Time = time.Now()
		if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return fmt.Errorf("image: SOURCE_DATE_EPOCH %q: %w", s, err)
			}
			o.Time = time.Unix(n, 0)
		}
	}
	o.Time = time.Unix(o.Time.Unix(), 0)
	if o.Closure == nil {
		root := o.StoreRoot
		o.Closure = func(roots []string) ([]string, error) { return ScanClosure(root, roots) }
	}
	if o.Menu.Timeout == 0 && o.Menu.Limit == 0 {
		o.Menu = bootloader.MenuOptions{Timeout: 5, Limit: 100}
	}
	return nil
}

// profile returns the profile to put in the image; a Toplevel becomes a
// staged one-generation profile.
func (o *Options) profile(stage string) (*generations.Profile, error) {
	if o.Profile != "" {
		return generations.Open(o.Profile, o.StoreRoot)
	}
	p, err := generations.Open(filepath.Join(stage, "profile", "system"), o.StoreRoot)
	if err != nil {
		return nil, err
	}
	if _, _, err := p.Set(o.Toplevel); err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	link := filepath.Join(stage, "profile", "system-1-link")
	if err := lutimes(link, o.Time); err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	return p, nil
}

func (o *Options) detectArch(p *generations.Profile) error {
	if o.Arch == "" {
		cur, err := p.Current()
		if err != nil {
			return fmt.Errorf("image: %w", err)
		}
		sys, err := os.ReadFile(p.RealPath(cur.Target + "/system"))
		if err != nil {
			return fmt.Errorf("image: architecture of %s: %w", cur.Target, err)
		}
		if o.Arch, err = bootloader.ArchFromSystem(strings.TrimSpace(string(sys))); err != nil {
			return fmt.Errorf("image: %s: %w", cur.Target, err)
		}
	}
	if o.Firmware == 0 {
		o.Firmware = bootloader.UEFI
		if o.Arch == bootloader.X86_64 || o.Arch == bootloader.I686 {
			o.Firmware |= bootloader.BIOS
		}
	}
	return nil
}

// skeleton lists the directories every root has, with their modes.
var skeleton = []struct {
	path string
	mode os.FileMode
}{
	{"/nix/store", 0o1775}, {"/nix/var/nix/db", 0o755}, {"/nix/var/nix/gcroots", 0o755},
	{"/nix/var/nix/profiles", 0o755}, {"/nix/var/nix/temproots", 0o755},
	{"/etc", 0o755}, {"/var", 0o755}, {"/tmp", 0o1777}, {"/run", 0o755}, {"/proc", 0o555},
	{"/sys", 0o555}, {"/dev", 0o755}, {"/home", 0o755}, {"/root", 0o700}, {"/boot", 0o755},
}

func (o *Options) rootTree(stage string, prof *generations.Profile, gens []generations.Generation, paths []string) (*tree, error) {
	t := newTree()
	for _, d := range skeleton {
		t.dir(d.path, d.mode, o.Time)
	}
	for _, p := range paths {
		if err := t.copyHost(filepath.Join(o.StoreRoot, p), p, true, o.Time); err != nil {
			return nil, fmt.Errorf("image: %w", err)
		}
	}
	pdir := "/nix/var/nix/profiles"
	cur, err := prof.Current()
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	for _, g := range gens {
		t.symlink(pdir+"/"+filepath.Base(g.Link), g.Target, g.Time)
	}
	t.symlink(pdir+"/system", filepath.Base(cur.Link), cur.Time)
	if o.Database != nil {
		dbStage := filepath.Join(stage, "db")
		if err := o.Database(dbStage, paths); err != nil {
			return nil, fmt.Errorf("image: store database: %w", err)
		}
		if err := t.copyHost(filepath.Join(dbStage, "nix/var/nix/db"), "/nix/var/nix/db", false, o.Time); err != nil {
			return nil, fmt.Errorf("image: store database: %w", err)
		}
	}
	return t, nil
}

// write lays out and writes the disk: partition table, loader, ESP, root.
func (o *Options) write(stage string, prof *generations.Profile, t *tree) (*Result, error) {
	bl, err := bootloader.New(o.Arch, o.Firmware)
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	espDir := bootloader.DirESP(filepath.Join(stage, "esp"))
	menu, err := bootloader.Update(espDir, bl, prof, o.Menu)
	if err != nil {
		return nil, fmt.Errorf("image: %w", err)
	}
	bootFiles, err := stagedSize(string(espDir))
	if err != nil {
		return nil, err
	}
	espSize := o.ESPSize
	if espSize == 0 {
		espSize = max(MinESPSize, 2*bootFiles+4*mib)
	}
	data := t.dataSize()
	inodes := inodeCount(len(t.nodes))
	rootSize := (data*21/20+inodes*256+mib+o.FreeSpace)*33/32 + 4*mib
	l := NewLayout(o.Seed, o.Firmware&bootloader.BIOS != 0, espSize, rootSize)
	volID := espVolumeID(o.Seed)
	if err := o.writeDisk(l, bl, espDir, volID, t, data+bootFiles); err != nil {
		os.Remove(o.Output + ".tmp")
		return nil, err
	}
	return &Result{Layout: l, Menu: menu, ESPVolumeID: FormatVolumeID(volID)}, nil
}

func (o *Options) writeDisk(l Layout, bl bootloader.Bootloader, esp bootloader.DirESP, volID uint32, t *tree, total int64) error {
	tmp := o.Output + ".tmp"
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return fmt.Errorf("image: %w", err)
	}
	defer f.Close()
	if err := f.Truncate(l.Size); err != nil {
		return fmt.Errorf("image: %w", err)
	}
	b := file.New(f, false)
	d, err := diskfs.OpenBackend(b)
	if err != nil {
		return fmt.Errorf("image: %w", err)
	}
	if err := d.Partition(l.table()); err != nil {
		return fmt.Errorf("image: partition table: %w", err)
	}
	target := &bootloader.Target{Disk: f, ESP: esp, ESPVolumeID: FormatVolumeID(volID)}
	if l.BIOSBoot != nil {
		target.BIOSBootOffset, target.BIOSBootSize = l.BIOSBoot.Offset, l.BIOSBoot.Size
	}
	if err := bl.Install(target); err != nil {
		return fmt.Errorf("image: %w", err)
	}
	pr := &progress{w: o.Progress, what: "writing " + filepath.Base(o.Output), total: total, start: time.Now()}
	if err := writeESP(b, f, l.ESP, string(esp), volID, pr); err != nil {
		return fmt.Errorf("image: %w", err)
	}
	if err := fixFAT32(f, f, l.ESP.Offset, l.ESP.Size, o.Time); err != nil {
		return fmt.Errorf("image: %w", err)
	}
	if _, err := writeExt4(b, l.Root, t, o.Seed, pr); err != nil {
		return fmt.Errorf("image: %w", err)
	}
	if err := normaliseExt4(f, f, l.Root.Offset, l.Root.Size, o.Seed, o.Time); err != nil {
		return fmt.Errorf("image: %w", err)
	}
	pr.finish()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("image: %w", err)
	}
	if err := os.Rename(tmp, o.Output); err != nil {
		return fmt.Errorf("image: %w", err)
	}
	return nil
}
