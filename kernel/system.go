package kernel

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/frazil/frazil/kernel/kmod"
)

// SystemOptions select what of an imported kernel tree a system carries.
type SystemOptions struct {
	Tree      string // the imported kernel tree
	ImageFile string // bzImage, Image: the kernel image in Tree
	Version   string // the module directory, lib/modules/<Version>
	// Modules are what PID 1 loads (boot.kernelModules): names or
	// aliases, each required to exist (as a module or built in).
	Modules []string
	// FileSystems are the types PID 1 mounts; the modules they need
	// (kmod.FSModules) are included where the kernel has them.
	FileSystems []string
}

// BuildSystem writes the kernel a system boots into out: the kernel image
// and lib/modules/<version> holding only the closure of the modules the
// system loads, with modules.dep, modules.alias and modules.softdep
// restricted to them and modules.builtin as it is. A distribution kernel's
// full module tree is hundreds of megabytes; a system without udev loads
// only what it names, so only that goes into its closure. It returns the
// included modules in load order.
func BuildSystem(out string, o SystemOptions) ([]string, error) {
	src := filepath.Join(o.Tree, "lib/modules", o.Version)
	mods, err := kmod.ReadModules(src)
	if err != nil {
		return nil, fmt.Errorf("kernel %s: %w", o.Version, err)
	}
	want := append([]string(nil), o.Modules...)
	for _, t := range o.FileSystems {
		for _, m := range kmod.FSModules(t) {
			if mods.Has(m) {
				want = append(want, m)
			}
		}
	}
	order, err := mods.Closure(want)
	if err != nil {
		return nil, fmt.Errorf("kernel %s: %w", o.Version, err)
	}
	dst := filepath.Join(out, "lib/modules", o.Version)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return nil, err
	}
	if err := copyFile(filepath.Join(o.Tree, o.ImageFile), filepath.Join(out, o.ImageFile)); err != nil {
		return nil, fmt.Errorf("kernel image: %w", err)
	}
	names := map[string]bool{}
	for _, m := range order {
		names[kmod.NameOfPath(m)] = true
		if err := os.MkdirAll(filepath.Join(dst, path.Dir(m)), 0o755); err != nil {
			return nil, err
		}
		if err := copyFile(filepath.Join(src, m), filepath.Join(dst, m)); err != nil {
			return nil, err
		}
	}
	if err := os.WriteFile(filepath.Join(dst, "modules.dep"), mods.DepFile(order), 0o644); err != nil {
		return nil, err
	}
	// Alias and softdep lines of the included modules ("alias PATTERN
	// NAME", "softdep NAME pre: …"): the last or the second field names
	// the module.
	for _, f := range []struct {
		file  string
		field func([]string) string
	}{
		{"modules.alias", func(w []string) string { return w[len(w)-1] }},
		{"modules.softdep", func(w []string) string { return w[1] }},
	} {
		if err := filterLines(filepath.Join(src, f.file), filepath.Join(dst, f.file), func(line string) bool {
			w := strings.Fields(line)
			return len(w) >= 2 && names[kmod.ModuleName(f.field(w))]
		}); err != nil {
			return nil, err
		}
	}
	if err := copyFile(filepath.Join(src, "modules.builtin"), filepath.Join(dst, "modules.builtin")); err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	return order, nil
}

// filterLines copies the lines of src that keep accepts to dst, sorted; a
// missing src writes nothing.
func filterLines(src, dst string, keep func(string) bool) error {
	f, err := os.Open(src)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		if l := sc.Text(); !strings.HasPrefix(l, "#") && keep(l) {
			lines = append(lines, l)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	sort.Strings(lines)
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	return os.WriteFile(dst, b.Bytes(), 0o644)
}
