package builder

// This file defines builtin:buildenv, the builder of nix-env's user
// environments: it merges package trees into one tree of symlinks.
//
// Its env holds "derivations", a token list of groups "ACTIVE PRIORITY
// N PATH1 … PATHN", and "manifest", a store path linked as manifest.nix.
// Packages are linked in priority order (lower numbers win); two files at
// the same place with the same priority are a conflict; directories are
// merged, splitting a symlinked directory into a real one when a second
// package adds to it. Packages listed in a package's
// nix-support/propagated-user-env-packages follow, with priorities
// counting up from 1000.
//
// Store paths are read in the store rooted at R, so symlinks between them
// (absolute /nix/store/… targets) are resolved inside R.

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// envPackage is one package to link.
type envPackage struct {
	path     string // logical store path
	active   bool
	priority int
}

// envBuilder holds the state of one buildenv run.
type envBuilder struct {
	root       string         // the store's root R
	priorities map[string]int // output file (host path) -> priority of its link
	log        io.Writer
}

func (b *Builder) buildenv(n *node, bd *buildDir, log io.Writer) error {
	pkgs, err := parseEnvPackages(n.drv.Env["derivations"])
	if err != nil {
		return err
	}
	manifest, ok := n.drv.Env["manifest"]
	if !ok {
		return fmt.Errorf("attribute 'manifest' missing")
	}
	out, ok := n.outputs["out"]
	if !ok {
		return fmt.Errorf("attribute 'out' missing")
	}
	dst := bd.outPath(out)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	e := &envBuilder{root: b.store.Root(), priorities: map[string]int{}, log: log}
	if err := e.buildProfile(dst, pkgs); err != nil {
		return err
	}
	return os.Symlink(manifest, filepath.Join(dst, "manifest.nix"))
}

// parseEnvPackages reads the "derivations" token list.
func parseEnvPackages(s string) ([]envPackage, error) {
	toks := strings.Fields(s)
	var pkgs []envPackage
	for len(toks) > 0 {
		if len(toks) < 3 {
			return nil, fmt.Errorf("malformed 'derivations' attribute: incomplete group %q", toks)
		}
		prio, err1 := strconv.Atoi(toks[1])
		count, err2 := strconv.Atoi(toks[2])
		if err1 != nil || err2 != nil || count < 0 || len(toks) < 3+count {
			return nil, fmt.Errorf("malformed 'derivations' attribute at %q", strings.Join(toks[:3], " "))
		}
		for _, p := range toks[3 : 3+count] {
			pkgs = append(pkgs, envPackage{path: p, active: toks[0] != "false", priority: prio})
		}
		toks = toks[3+count:]
	}
	return pkgs, nil
}

// buildProfile links the active packages in priority order, then the
// packages they propagate.
func (e *envBuilder) buildProfile(out string, pkgs []envPackage) error {
	sort.SliceStable(pkgs, func(i, j int) bool {
		a, b := pkgs[i], pkgs[j]
		return a.priority < b.priority || a.priority == b.priority && a.path < b.path
	})
	done := map[string]bool{}
	postponed := map[string]bool{}
	add := func(dir string, priority int) error {
		if done[dir] {
			return nil
		}
		done[dir] = true
		if err := e.createLinks(dir, out, priority); err != nil {
			return err
		}
		return e.propagated(dir, done, postponed)
	}
	for _, p := range pkgs {
		if p.active {
			if err := add(p.path, p.priority); err != nil {
				return err
			}
		}
	}
	priority := 1000
	for len(postponed) > 0 {
		batch := sortedKeys(postponed)
		postponed = map[string]bool{}
		for _, dir := range batch {
			if err := add(dir, priority); err != nil {
				return err
			}
			priority++
		}
	}
	return nil
}

// propagated queues the packages dir asks to be installed with it.
func (e *envBuilder) propagated(dir string, done, postponed map[string]bool) error {
	real, err := e.resolve(dir + "/nix-support/propagated-user-env-packages")
	if err != nil {
		if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return nil
		}
		return err
	}
	b, err := os.ReadFile(e.real(real))
	if err != nil {
		return err
	}
	for _, p := range strings.Fields(string(b)) {
		if !done[p] {
			postponed[p] = true
		}
	}
	return nil
}

// createLinks links the entries of the logical directory srcDir into the
// host directory dstDir.
func (e *envBuilder) createLinks(srcDir, dstDir string, priority int) error {
	resolved, err := e.resolve(srcDir)
	if err != nil {
		return err
	}
	ents, err := os.ReadDir(e.real(resolved))
	if errors.Is(err, syscall.ENOTDIR) {
		fmt.Fprintf(e.log, "warning: not including '%s' in the user environment because it's not a directory\n", srcDir)
		return nil
	} else if err != nil {
		return err
	}
	for _, ent := range ents {
		if strings.HasPrefix(ent.Name(), ".") {
			continue
		}
		if err := e.link(srcDir+"/"+ent.Name(), filepath.Join(dstDir, ent.Name()), priority); err != nil {
			return err
		}
	}
	return nil
}

// ignoredSuffixes are files that never go into a profile.
var ignoredSuffixes = []string{"/propagated-build-inputs", "/nix-support", "/perllocal.pod", "/info/dir", "/log", "/manifest.nix", "/manifest.json"}

// link adds one entry: srcFile (logical) at dstFile (host path).
func (e *envBuilder) link(srcFile, dstFile string, priority int) error {
	resolved, err := e.resolve(srcFile)
	var srcInfo os.FileInfo
	if err == nil {
		srcInfo, err = os.Lstat(e.real(resolved))
	}
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
		fmt.Fprintf(e.log, "warning: skipping dangling symlink '%s'\n", dstFile)
		return nil
	} else if err != nil {
		return err
	}
	for _, s := range ignoredSuffixes {
		if strings.HasSuffix(srcFile, s) {
			return nil
		}
	}
	dstInfo, err := os.Lstat(dstFile)
	exists := err == nil
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if srcInfo.IsDir() && exists {
		return e.mergeDir(srcFile, dstFile, dstInfo, priority)
	}
	if !srcInfo.IsDir() && exists {
		switch {
		case dstInfo.IsDir():
			return fmt.Errorf("collision between non-directory '%s' and directory '%s'", srcFile, dstFile)
		case dstInfo.Mode()&os.ModeSymlink != 0:
			prev := e.priorities[dstFile]
			if prev == priority {
				old, _ := os.Readlink(dstFile)
				return fmt.Errorf("files '%s' and '%s' have the same priority %d; use 'nix-env --set-flag priority NUMBER INSTALLED_PKG' to change the priority of one of the conflicting packages (0 being the highest priority)",
					srcFile, old, priority)
			}
			if prev < priority {
				return nil
			}
			if err := os.Remove(dstFile); err != nil {
				return err
			}
		}
	}
	if err := os.Symlink(srcFile, dstFile); err != nil {
		return err
	}
	e.priorities[dstFile] = priority
	return nil
}

// mergeDir adds the directory srcFile where dstFile already exists: into
// it if it is a directory, or by replacing a symlink to another package's
// directory with a directory holding both.
func (e *envBuilder) mergeDir(srcFile, dstFile string, dstInfo os.FileInfo, priority int) error {
	if dstInfo.IsDir() {
		return e.createLinks(srcFile, dstFile, priority)
	}
	if dstInfo.Mode()&os.ModeSymlink == 0 {
		return fmt.Errorf("collision between directory '%s' and non-directory '%s'", srcFile, dstFile)
	}
	old, err := os.Readlink(dstFile)
	if err != nil {
		return err
	}
	target, err := e.resolve(old)
	if err != nil {
		return err
	}
	if fi, err := os.Lstat(e.real(target)); err != nil || !fi.IsDir() {
		return fmt.Errorf("collision between '%s' and non-directory '%s'", srcFile, target)
	}
	if err := os.Remove(dstFile); err != nil {
		return err
	}
	if err := os.Mkdir(dstFile, 0o755); err != nil {
		return err
	}
	if err := e.createLinks(target, dstFile, e.priorities[dstFile]); err != nil {
		return err
	}
	return e.createLinks(srcFile, dstFile, priority)
}

// real maps a logical absolute path to the host.
func (e *envBuilder) real(logical string) string { return filepath.Join(e.root, logical) }

// resolve follows every symlink in the logical path p as if the store's
// root were "/", and returns the resolved logical path.
func (e *envBuilder) resolve(p string) (string, error) {
	resolved := "/"
	rest := strings.Split(p, "/")
	for hops := 0; len(rest) > 0; {
		c := rest[0]
		rest = rest[1:]
		switch c {
		case "", ".":
			continue
		case "..":
			resolved = path.Dir(resolved)
			continue
		}
		next := path.Join(resolved, c)
		fi, err := os.Lstat(e.real(next))
		if err != nil {
			return "", err
		}
		if fi.Mode()&os.ModeSymlink == 0 {
			if len(rest) > 0 && !fi.IsDir() {
				return "", fmt.Errorf("resolve %s: %w", p, syscall.ENOTDIR)
			}
			resolved = next
			continue
		}
		if hops++; hops > 40 {
			return "", fmt.Errorf("resolve %s: %w", p, syscall.ELOOP)
		}
		target, err := os.Readlink(e.real(next))
		if err != nil {
			return "", err
		}
		if path.IsAbs(target) {
			resolved = "/"
		}
		rest = append(strings.Split(target, "/"), rest...)
	}
	return resolved, nil
}
