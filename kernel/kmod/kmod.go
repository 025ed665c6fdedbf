// Package kmod reads a kernel module directory's metadata (modules.dep,
// modules.alias, modules.softdep, modules.builtin) and resolves module names
// and aliases to a load order. It has no dependencies beyond the standard
// library, so PID 1 can load the kernelModules of activation.json with it.
package kmod

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// Modules is a module directory's metadata (lib/modules/<ver>), read from
// modules.dep, modules.alias, modules.softdep and modules.builtin.
type Modules struct {
	Dir     string
	deps    map[string][]string // name -> modules.dep list (load last first)
	paths   map[string]string   // name -> relative path
	aliases [][2]string         // pattern, name
	softPre map[string][]string
	builtin map[string]bool
}

// ReadModules reads the metadata files of a module directory.
func ReadModules(dir string) (*Modules, error) {
	m := &Modules{Dir: dir, deps: map[string][]string{}, paths: map[string]string{}, softPre: map[string][]string{}, builtin: map[string]bool{}}
	if err := eachLine(filepath.Join(dir, "modules.dep"), true, func(line string) {
		target, deps, _ := strings.Cut(line, ":")
		name := NameOfPath(target)
		m.paths[name] = target
		m.deps[name] = strings.Fields(deps)
	}); err != nil {
		return nil, err
	}
	if err := eachLine(filepath.Join(dir, "modules.alias"), false, func(line string) {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "alias" {
			m.aliases = append(m.aliases, [2]string{f[1], ModuleName(f[2])})
		}
	}); err != nil {
		return nil, err
	}
	if err := eachLine(filepath.Join(dir, "modules.softdep"), false, func(line string) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "softdep" {
			m.softPre[ModuleName(f[1])] = SoftPre(strings.Join(f[2:], " "))
		}
	}); err != nil {
		return nil, err
	}
	err := eachLine(filepath.Join(dir, "modules.builtin"), false, func(line string) {
		m.builtin[NameOfPath(line)] = true
	})
	return m, err
}

func eachLine(file string, required bool, f func(string)) error {
	fh, err := os.Open(file)
	if os.IsNotExist(err) && !required {
		return nil
	}
	if err != nil {
		return fmt.Errorf("modules: %w", err)
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			f(line)
		}
	}
	return sc.Err()
}

// NameOfPath turns kernel/fs/ext4/ext4.ko(.xz) into ext4.
func NameOfPath(p string) string {
	base := path.Base(p)
	if i := strings.Index(base, ".ko"); i >= 0 {
		base = base[:i]
	}
	return ModuleName(base)
}

// resolve maps a module name or alias to module names (an alias may match
// several modules, as crc32c does). A built-in module resolves to nothing.
func (m *Modules) resolve(want string) ([]string, error) {
	n := ModuleName(want)
	if _, ok := m.paths[n]; ok {
		return []string{n}, nil
	}
	if m.builtin[n] {
		return nil, nil
	}
	var found []string
	for _, a := range m.aliases {
		if ok, _ := path.Match(a[0], want); ok {
			found = append(found, a[1])
		}
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("module %q: no such module, alias or built-in", want)
	}
	sort.Strings(found)
	return found, nil
}

// Closure returns the modules to load, as paths relative to the module
// directory, for the given names or aliases: each module's softdep "pre"
// modules and dependencies come before it, and nothing appears twice.
func (m *Modules) Closure(want []string) ([]string, error) {
	var order []string
	done := map[string]bool{}
	var add func(name string, depth int) error
	add = func(name string, depth int) error {
		if done[name] {
			return nil
		}
		if depth > 16 {
			return fmt.Errorf("module %s: softdeps nest too deep", name)
		}
		done[name] = true
		for _, s := range m.softPre[name] {
			names, err := m.resolve(s)
			if err != nil {
				continue // a soft dependency is optional
			}
			for _, n := range names {
				if err := add(n, depth+1); err != nil {
					return err
				}
			}
		}
		deps := m.deps[name]
		for i := len(deps) - 1; i >= 0; i-- {
			dn := NameOfPath(deps[i])
			if !done[dn] {
				if err := add(dn, depth+1); err != nil {
					return err
				}
			}
		}
		p, ok := m.paths[name]
		if !ok {
			return fmt.Errorf("module %s is needed but has no modules.dep entry", name)
		}
		order = append(order, p)
		return nil
	}
	for _, w := range want {
		names, err := m.resolve(w)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			if err := add(n, 0); err != nil {
				return nil, err
			}
		}
	}
	return order, nil
}

// DepFile is modules.dep for just the modules of order (paths relative to
// the module directory, as Closure returns them), in that order.
func (m *Modules) DepFile(order []string) []byte {
	var b strings.Builder
	for _, p := range order {
		b.WriteString(p + ":")
		for _, d := range m.Deps(p) {
			b.WriteString(" " + d)
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// Deps returns the modules.dep dependency list of the module at path p
// (relative to the module directory).
func (m *Modules) Deps(p string) []string {
	return m.deps[NameOfPath(p)]
}

// SoftPre extracts the names after "pre:" in a softdep value
// ("pre: a b post: c").
func SoftPre(v string) []string {
	var out []string
	inPre := false
	for _, w := range strings.Fields(v) {
		switch w {
		case "pre:":
			inPre = true
		case "post:":
			inPre = false
		default:
			if inPre {
				out = append(out, w)
			}
		}
	}
	return out
}

// ModuleName normalises a module name: '-' and '_' are the same to the kernel.
func ModuleName(s string) string { return strings.ReplaceAll(s, "-", "_") }

// fsModules are the modules a filesystem type needs beyond its own name:
// vfat looks up its code page and I/O character set as modules, which a
// system without modprobe must load beforehand.
var fsModules = map[string][]string{
	"vfat": {"vfat", "nls_cp437", "nls_ascii", "nls_iso8859-1", "nls_utf8"},
}

// FSModules returns the modules that mounting a filesystem of type t
// needs. Some may be built in or absent from a kernel; callers skip those.
func FSModules(t string) []string {
	if m, ok := fsModules[t]; ok {
		return m
	}
	return []string{t}
}

// Has reports whether the module (a name or an alias) is in the
// directory, as a module or built in.
func (m *Modules) Has(want string) bool {
	_, err := m.resolve(want)
	return err == nil
}
