package kernel

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/frazil/frazil/kernel/kmod"
)

// moduleIndex is every module of a tree by name.
type moduleIndex struct {
	path map[string]string // name -> path relative to the module dir
	info map[string]*ModInfo
}

// scanModules reads the .modinfo of every .ko under modDir.
func scanModules(modDir string) (*moduleIndex, error) {
	idx := &moduleIndex{path: map[string]string{}, info: map[string]*ModInfo{}}
	err := filepath.WalkDir(modDir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".ko") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		mi, err := ReadModInfo(data)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		if mi.Name == "" {
			mi.Name = strings.TrimSuffix(filepath.Base(p), ".ko")
		}
		name := kmod.ModuleName(mi.Name)
		rel, _ := filepath.Rel(modDir, p)
		if prev, dup := idx.path[name]; dup {
			return fmt.Errorf("module %s is both %s and %s", name, prev, rel)
		}
		idx.path[name] = filepath.ToSlash(rel)
		idx.info[name] = mi
		return nil
	})
	return idx, err
}

// loadOrder returns name's dependencies, transitively, each before the
// modules that need it (name itself excluded).
func (idx *moduleIndex) loadOrder(name string) ([]string, error) {
	var order []string
	seen := map[string]int{} // 1 visiting, 2 done
	var visit func(n string, chain []string) error
	visit = func(n string, chain []string) error {
		switch seen[n] {
		case 1:
			return fmt.Errorf("module dependency cycle: %s", strings.Join(append(chain, n), " -> "))
		case 2:
			return nil
		}
		mi := idx.info[n]
		if mi == nil {
			return fmt.Errorf("module %s needs %s, which is not in the tree", chain[len(chain)-1], n)
		}
		seen[n] = 1
		for _, d := range mi.Depends {
			if err := visit(kmod.ModuleName(d), append(chain, n)); err != nil {
				return err
			}
		}
		seen[n] = 2
		order = append(order, n)
		return nil
	}
	if err := visit(name, nil); err != nil {
		return nil, err
	}
	return order[:len(order)-1], nil
}

// Depmod writes modules.dep, modules.alias and modules.softdep for the
// modules under modDir, in depmod's formats: modules.dep lists each
// module's dependencies transitively, the ones to load last first.
func Depmod(modDir string) error {
	idx, err := scanModules(modDir)
	if err != nil {
		return fmt.Errorf("depmod %s: %w", modDir, err)
	}
	names := make([]string, 0, len(idx.path))
	for n := range idx.path {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return idx.path[names[i]] < idx.path[names[j]] })
	var dep, alias, soft strings.Builder
	for _, n := range names {
		order, err := idx.loadOrder(n)
		if err != nil {
			return fmt.Errorf("depmod %s: %w", modDir, err)
		}
		dep.WriteString(idx.path[n] + ":")
		for i := len(order) - 1; i >= 0; i-- {
			dep.WriteString(" " + idx.path[order[i]])
		}
		dep.WriteString("\n")
		for _, a := range idx.info[n].Aliases {
			fmt.Fprintf(&alias, "alias %s %s\n", a, n)
		}
		if pre := idx.info[n].SoftPre; len(pre) > 0 {
			fmt.Fprintf(&soft, "softdep %s pre: %s\n", n, strings.Join(pre, " "))
		}
	}
	for file, content := range map[string]string{"modules.dep": dep.String(), "modules.alias": alias.String(), "modules.softdep": soft.String()} {
		if err := os.WriteFile(filepath.Join(modDir, file), []byte(content), 0o644); err != nil {
			return fmt.Errorf("depmod: %w", err)
		}
	}
	return nil
}
