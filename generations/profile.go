package generations

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// DefaultSystemProfile is the system profile on a device.
const DefaultSystemProfile = "/nix/var/nix/profiles/system"

// A Profile is the profile link Path and the generations beside it.
type Profile struct {
	// Path is the profile link, e.g. /nix/var/nix/profiles/system.
	Path string
	// Root is the store root under which the logical store paths the
	// generations point at are read ("" or "/" on a device).
	Root string
}

// A Generation is one PROFILE-N-link.
type Generation struct {
	Number  int
	Link    string    // absolute path of PROFILE-N-link
	Target  string    // where the link points: a logical store path
	Time    time.Time // the link's modification time (lstat), like nix-env
	Current bool      // the profile points at this generation
}

// ErrNoGeneration is returned (wrapped) when a requested generation does not exist.
var ErrNoGeneration = errors.New("no such generation")

// Open returns the profile at path whose store paths live under root.
// The path is made absolute; nothing is created.
func Open(path, root string) (*Profile, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", path, err)
	}
	return &Profile{Path: abs, Root: root}, nil
}

func (p *Profile) dir() string  { return filepath.Dir(p.Path) }
func (p *Profile) name() string { return filepath.Base(p.Path) }

// linkName is the base name of generation n's link: "<name>-<n>-link".
func (p *Profile) linkName(n int) string { return fmt.Sprintf("%s-%d-link", p.name(), n) }

// parseLinkName returns n if base is "<name>-<n>-link".
func (p *Profile) parseLinkName(base string) (int, bool) {
	rest, ok := strings.CutPrefix(base, p.name()+"-")
	if !ok {
		return 0, false
	}
	num, ok := strings.CutSuffix(rest, "-link")
	if !ok || num == "" || num[0] == '+' || num[0] == '-' {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// RealPath maps a logical store path (or any absolute path) under the root.
func (p *Profile) RealPath(logical string) string {
	if p.Root == "" || p.Root == "/" {
		return logical
	}
	return filepath.Join(p.Root, logical)
}

// List returns the generations in ascending order of number. A profile
// whose directory or link does not exist has no generations.
func (p *Profile) List() ([]Generation, error) {
	entries, err := os.ReadDir(p.dir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("profile %s: %w", p.Path, err)
	}
	cur, err := p.currentNumber()
	if err != nil {
		return nil, err
	}
	var gens []Generation
	for _, e := range entries {
		n, ok := p.parseLinkName(e.Name())
		if !ok || e.Type()&fs.ModeSymlink == 0 {
			continue
		}
		g, err := p.stat(n)
		if err != nil {
			return nil, err
		}
		g.Current = n == cur
		gens = append(gens, g)
	}
	sort.Slice(gens, func(i, j int) bool { return gens[i].Number < gens[j].Number })
	return gens, nil
}

func (p *Profile) stat(n int) (Generation, error) {
	link := filepath.Join(p.dir(), p.linkName(n))
	var st syscall.Stat_t
	if err := syscall.Lstat(link, &st); err != nil {
		return Generation{}, fmt.Errorf("generation %d of %s: %w", n, p.Path, err)
	}
	target, err := os.Readlink(link)
	if err != nil {
		return Generation{}, fmt.Errorf("generation %d of %s: %w", n, p.Path, err)
	}
	return Generation{Number: n, Link: link, Target: target, Time: time.Unix(st.Mtim.Unix())}, nil
}

// currentNumber returns the generation PROFILE points at, 0 if it does not
// exist or points at something that is not a generation link of it.
func (p *Profile) currentNumber() (int, error) {
	target, err := os.Readlink(p.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("profile %s: %w", p.Path, err)
	}
	if filepath.IsAbs(target) && filepath.Dir(target) != p.dir() {
		return 0, nil
	}
	n, ok := p.parseLinkName(filepath.Base(target))
	if !ok {
		return 0, nil
	}
	return n, nil
}

// Current returns the generation the profile points at.
func (p *Profile) Current() (Generation, error) {
	n, err := p.currentNumber()
	if err != nil {
		return Generation{}, err
	}
	if n == 0 {
		return Generation{}, fmt.Errorf("profile %s: %w: the profile has no current generation", p.Path, ErrNoGeneration)
	}
	g, err := p.stat(n)
	g.Current = true
	return g, err
}

// Version returns the generation's version label (the toplevel's
// frazil-version file), or "" if it has none.
func (p *Profile) Version(g Generation) string {
	f, err := p.Resolve(g.Target + "/frazil-version")
	if err != nil {
		return ""
	}
	b, err := os.ReadFile(p.RealPath(f))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// FormatNixEnv formats g as one line of `nix-env --list-generations`, with
// the date in loc: "%4d   YYYY-MM-DD HH:MM:SS   (current)".
func FormatNixEnv(g Generation, loc *time.Location) string {
	cur := ""
	if g.Current {
		cur = "(current)"
	}
	return fmt.Sprintf("%4d   %s   %s", g.Number, g.Time.In(loc).Format("2006-01-02 15:04:05"), cur)
}
