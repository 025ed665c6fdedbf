package generations

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// A BootEntry is what a boot menu needs to know about one generation.
type BootEntry struct {
	Generation int
	Time       time.Time
	Version    string // frazil-version of the toplevel, "" if absent
	Toplevel   string // logical store path of the toplevel
	Kernel     string // logical path of the kernel image (links resolved)
	Initrd     string // logical path of the initrd (links resolved)
	Params     []string
	Default    bool // the profile's current generation
}

// Init returns the init= argument: <toplevel>/init.
func (e BootEntry) Init() string { return e.Toplevel + "/init" }

// Title returns the menu label, "Frazil - Generation N (YYYY-MM-DD HH:MM - version)".
// The time is shown in UTC so that images are reproducible.
func (e BootEntry) Title() string {
	t := e.Time.UTC().Format("2006-01-02 15:04")
	if e.Version == "" {
		return fmt.Sprintf("Frazil - Generation %d (%s)", e.Generation, t)
	}
	return fmt.Sprintf("Frazil - Generation %d (%s - %s)", e.Generation, t, e.Version)
}

// BootEntries returns the entries of the profile's generations, newest first,
// at most limit of them (limit <= 0: all). The current generation is marked
// Default and is always included, even when it is older than the newest limit.
func (p *Profile) BootEntries(limit int) ([]BootEntry, error) {
	gens, err := p.List()
	if err != nil {
		return nil, err
	}
	var sel []Generation
	for i := len(gens) - 1; i >= 0; i-- {
		sel = append(sel, gens[i])
	}
	if limit > 0 && len(sel) > limit {
		kept := sel[:limit]
		for _, g := range sel[limit:] {
			if g.Current {
				kept[limit-1] = g
			}
		}
		sel = kept
	}
	out := make([]BootEntry, 0, len(sel))
	for _, g := range sel {
		e, err := p.BootEntry(g)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// BootEntry reads one generation's toplevel: kernel, initrd, kernel-params
// and frazil-version.
func (p *Profile) BootEntry(g Generation) (BootEntry, error) {
	e := BootEntry{Generation: g.Number, Time: g.Time, Toplevel: g.Target, Default: g.Current, Version: p.Version(g)}
	var err error
	if e.Kernel, err = p.Resolve(g.Target + "/kernel"); err != nil {
		return BootEntry{}, fmt.Errorf("generation %d: kernel: %w", g.Number, err)
	}
	if e.Initrd, err = p.Resolve(g.Target + "/initrd"); err != nil {
		return BootEntry{}, fmt.Errorf("generation %d: initrd: %w", g.Number, err)
	}
	params, err := os.ReadFile(p.RealPath(g.Target + "/kernel-params"))
	if err != nil && !os.IsNotExist(err) {
		return BootEntry{}, fmt.Errorf("generation %d: %w", g.Number, err)
	}
	e.Params = strings.Fields(string(params))
	return e, nil
}

// Resolve follows the symlinks of a logical path under the profile's root
// and returns the logical path of the file it names. The file must exist.
func (p *Profile) Resolve(logical string) (string, error) {
	cur := filepath.Clean(logical)
	for hops := 0; hops < 40; hops++ {
		resolvedPrefix, changed, err := p.resolveOnce(cur)
		if err != nil {
			return "", err
		}
		if !changed {
			return cur, nil
		}
		cur = resolvedPrefix
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", logical)
}

// resolveOnce replaces the first symlink component of cur by its target.
func (p *Profile) resolveOnce(cur string) (string, bool, error) {
	parts := strings.Split(strings.TrimPrefix(cur, "/"), "/")
	prefix := "/"
	for i, part := range parts {
		next := filepath.Join(prefix, part)
		fi, err := os.Lstat(p.RealPath(next))
		if err != nil {
			return "", false, err
		}
		if fi.Mode()&os.ModeSymlink != 0 {
			t, err := os.Readlink(p.RealPath(next))
			if err != nil {
				return "", false, err
			}
			if !filepath.IsAbs(t) {
				t = filepath.Join(prefix, t)
			}
			return filepath.Join(append([]string{t}, parts[i+1:]...)...), true, nil
		}
		prefix = next
	}
	return cur, false, nil
}
