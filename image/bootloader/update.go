package bootloader

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"

	"github.com/frazil/frazil/generations"
	"github.com/frazil/frazil/internal/faultpoint"
)

// KernelDir is the ESP directory holding kernels and initrds.
const KernelDir = "/EFI/frazil"

// DefaultRoot is the root= the loader passes unless kernel-params has one.
const DefaultRoot = "LABEL=frazil-root"

// MenuOptions are the settings of a menu that outlive one update: the
// configuration's boot.loader.timeout and configurationLimit. They are
// stored on the ESP (OptionsPath) so a device can rewrite its menu on
// rollback without the configuration.
type MenuOptions struct {
	Timeout int    `json:"timeout"`            // seconds; negative waits forever
	Limit   int    `json:"configurationLimit"` // entries at most; <= 0 all
	Root    string `json:"root,omitempty"`     // root= value, DefaultRoot if empty
}

// OptionsPath is where MenuOptions are kept on the ESP.
const OptionsPath = "/grub/frazil-menu.json"

// LoadOptions reads the ESP's MenuOptions; defaults if it has none.
func LoadOptions(dir DirESP) (MenuOptions, error) {
	b, err := os.ReadFile(dir.path(OptionsPath))
	if errors.Is(err, fs.ErrNotExist) {
		return MenuOptions{Timeout: 5, Limit: 100}, nil
	}
	if err != nil {
		return MenuOptions{}, fmt.Errorf("menu options: %w", err)
	}
	var o MenuOptions
	if err := json.Unmarshal(b, &o); err != nil {
		return MenuOptions{}, fmt.Errorf("menu options %s: %w", OptionsPath, err)
	}
	return o, nil
}

// ESPName is the file name under KernelDir for a logical store file: the
// store path's base name, then the path inside it with "/" as "-". Two
// different files never get the same name, so a name is written once and
// never overwritten.
func ESPName(logical string) (string, error) {
	rest, ok := strings.CutPrefix(logical, "/nix/store/")
	if !ok || rest == "" {
		return "", fmt.Errorf("%s is not in the store", logical)
	}
	return strings.ReplaceAll(rest, "/", "-"), nil
}

// Update makes the ESP boot the profile's generations: it copies every
// kept generation's kernel and initrd that is not on the ESP yet, writes
// the menu (newest first, the current generation the default) atomically,
// saves opts, and only then removes kernels and initrds no entry uses.
// A crash at any point leaves a menu whose files all exist.
func Update(esp ESP, bl Bootloader, p *generations.Profile, opts MenuOptions) (Menu, error) {
	entries, err := p.BootEntries(opts.Limit)
	if err != nil {
		return Menu{}, fmt.Errorf("boot menu: %w", err)
	}
	if len(entries) == 0 {
		return Menu{}, fmt.Errorf("boot menu: profile %s has no generations", p.Path)
	}
	menu := Menu{Timeout: opts.Timeout}
	keep := map[string]bool{}
	for _, e := range entries {
		me, err := copyBootFiles(esp, p, e, keep)
		if err != nil {
			return Menu{}, err
		}
		me.Cmdline = Cmdline(e, opts.Root)
		menu.Entries = append(menu.Entries, me)
	}
	faultpoint.Hit("bootloader.files.copied")
	if err := bl.WriteMenu(esp, menu); err != nil {
		return Menu{}, fmt.Errorf("boot menu: %w", err)
	}
	faultpoint.Hit("bootloader.menu.written")
	js, _ := json.MarshalIndent(opts, "", "  ")
	if err := esp.WriteFile(OptionsPath, bytes.NewReader(append(js, '\n'))); err != nil {
		return Menu{}, fmt.Errorf("boot menu: %w", err)
	}
	return menu, removeUnused(esp, keep)
}

// Cmdline is the kernel command line of a generation: init=, root= (unless
// the generation's kernel-params name one) and its kernel-params.
func Cmdline(e generations.BootEntry, root string) string {
	if root == "" {
		root = DefaultRoot
	}
	args := []string{"init=" + e.Init()}
	hasRoot := false
	for _, p := range e.Params {
		hasRoot = hasRoot || strings.HasPrefix(p, "root=")
	}
	if !hasRoot {
		args = append(args, "root="+root)
	}
	return strings.Join(append(args, e.Params...), " ")
}

func copyBootFiles(esp ESP, p *generations.Profile, e generations.BootEntry, keep map[string]bool) (Entry, error) {
	me := Entry{Title: e.Title(), Default: e.Default}
	for _, f := range []struct {
		logical string
		dst     *string
	}{{e.Kernel, &me.Kernel}, {e.Initrd, &me.Initrd}} {
		name, err := ESPName(f.logical)
		if err != nil {
			return Entry{}, fmt.Errorf("generation %d: %w", e.Generation, err)
		}
		*f.dst = KernelDir + "/" + name
		keep[name] = true
		ok, err := esp.Exists(*f.dst)
		if err != nil {
			return Entry{}, err
		}
		if ok {
			continue
		}
		src, err := os.Open(p.RealPath(f.logical))
		if err != nil {
			return Entry{}, fmt.Errorf("generation %d: %w", e.Generation, err)
		}
		err = esp.WriteFile(*f.dst, src)
		src.Close()
		if err != nil {
			return Entry{}, fmt.Errorf("generation %d: %w", e.Generation, err)
		}
	}
	return me, nil
}

// removeUnused deletes the kernels and initrds no entry names, and the
// temporary files a crashed update may have left beside the menu.
func removeUnused(esp ESP, keep map[string]bool) error {
	for _, dir := range []string{KernelDir, path.Dir(MenuPath)} {
		names, err := esp.List(dir)
		if err != nil {
			return err
		}
		for _, n := range names {
			stale := strings.Contains(n, ".tmp")
			if dir == KernelDir {
				stale = !keep[n]
			}
			if stale {
				if err := esp.Remove(dir + "/" + n); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
