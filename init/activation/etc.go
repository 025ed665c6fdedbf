package activation

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// usersFiles are written by the users step, never linked from the etc tree.
var usersFiles = map[string]bool{"passwd": true, "group": true, "shadow": true}

// etcEntry is one leaf of the etc tree.
type etcEntry struct {
	rel  string // path below /etc
	real string // its real path under Root
}

func setupEtc(o *Options) error {
	tree := filepath.Join(o.Toplevel, "etc")
	if _, err := os.Stat(o.path(tree)); err != nil {
		return fmt.Errorf("etc tree: %w", err)
	}
	if err := atomicSymlink(tree, o.path("/etc/static")); err != nil {
		return err
	}
	var leaves []etcEntry
	if err := walkEtc(o, o.path(tree), "", &leaves); err != nil {
		return err
	}
	declared := map[string]bool{}
	for _, l := range leaves {
		declared[l.rel] = true
	}
	var errs []error
	if err := removeStale(o, declared); err != nil {
		errs = append(errs, err)
	}
	var copied []string
	for _, l := range leaves {
		isCopy, err := installEtc(o, l)
		if err != nil {
			errs = append(errs, fmt.Errorf("/etc/%s: %w", l.rel, err))
		}
		if isCopy {
			copied = append(copied, l.rel)
		}
	}
	if err := cleanCopies(o, copied); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// walkEtc collects the leaves of the tree: real directories are walked,
// everything else (symlinks into the store, files) is a leaf. Sidecars
// (<f>.mode, <f>.uid, <f>.gid next to <f>) are not leaves.
func walkEtc(o *Options, dir, rel string, out *[]etcEntry) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name()] = true
	}
	for _, e := range entries {
		name := e.Name()
		if ext := filepath.Ext(name); (ext == ".mode" || ext == ".uid" || ext == ".gid") && names[strings.TrimSuffix(name, ext)] {
			continue
		}
		r := filepath.Join(rel, name)
		if rel == "" && usersFiles[name] {
			o.Logf("activation: /etc/%s is managed from activation.json; ignoring the etc tree's", name)
			continue
		}
		if e.IsDir() {
			if err := walkEtc(o, filepath.Join(dir, name), r, out); err != nil {
				return err
			}
			continue
		}
		*out = append(*out, etcEntry{rel: r, real: filepath.Join(dir, name)})
	}
	return nil
}

// installEtc links or copies one leaf; it reports whether it copied.
func installEtc(o *Options, l etcEntry) (bool, error) {
	target := o.path("/etc/" + l.rel)
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return false, err
	}
	modeData, err := os.ReadFile(l.real + ".mode")
	if errors.Is(err, fs.ErrNotExist) {
		if st, err := os.Lstat(target); err == nil && st.IsDir() {
			return false, fmt.Errorf("is a directory on the machine; not replacing it with a link")
		}
		return false, atomicSymlink("/etc/static/"+l.rel, target)
	}
	if err != nil {
		return false, err
	}
	mode := strings.TrimSpace(string(modeData))
	if mode == "direct-symlink" {
		dest, err := os.Readlink(l.real)
		if err != nil {
			return false, fmt.Errorf("direct-symlink: %w", err)
		}
		return false, atomicSymlink(dest, target)
	}
	perm, err := strconv.ParseUint(mode, 8, 32)
	if err != nil {
		return false, fmt.Errorf("bad mode %q", mode)
	}
	data, err := os.ReadFile(resolve(o, l.real))
	if err != nil {
		return false, err
	}
	uid, gid := o.owner(l.real+".uid", true), o.owner(l.real+".gid", false)
	return true, writeFileAtomic(target, data, os.FileMode(perm)&os.ModePerm|unixBits(perm), uid, gid)
}

// unixBits carries setuid/setgid/sticky from an octal mode into Go's.
func unixBits(perm uint64) os.FileMode {
	var m os.FileMode
	if perm&0o4000 != 0 {
		m |= os.ModeSetuid
	}
	if perm&0o2000 != 0 {
		m |= os.ModeSetgid
	}
	if perm&0o1000 != 0 {
		m |= os.ModeSticky
	}
	return m
}

// owner reads a .uid/.gid sidecar: a number or a declared user/group name.
// Without one the owner is root.
func (o *Options) owner(sidecar string, user bool) int {
	data, err := os.ReadFile(sidecar)
	if err != nil {
		return 0
	}
	v := strings.TrimSpace(string(data))
	if n, err := strconv.Atoi(v); err == nil {
		return n
	}
	users, groups := accounts(o.Data)
	if user {
		for _, u := range users {
			if u.Name == v {
				return u.UID
			}
		}
	} else {
		for _, g := range groups {
			if g.Name == v {
				return g.GID
			}
		}
	}
	o.Logf("activation: %s names unknown %q; using root", sidecar, v)
	return 0
}

// resolve follows symlinks whose absolute targets are logical paths,
// mapping them under Root.
func resolve(o *Options, p string) string {
	for range 40 {
		dest, err := os.Readlink(p)
		if err != nil {
			return p
		}
		if filepath.IsAbs(dest) {
			p = o.path(dest)
		} else {
			p = filepath.Join(filepath.Dir(p), dest)
		}
	}
	return p
}

// removeStale deletes /etc links into /etc/static that the new tree no
// longer declares (setup-etc.pl's cleanup of dangling links).
func removeStale(o *Options, declared map[string]bool) error {
	etc := o.path("/etc")
	return filepath.WalkDir(etc, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(etc, p)
		if d.IsDir() && (rel == "static" || rel == "nixos") {
			return filepath.SkipDir
		}
		if d.Type()&fs.ModeSymlink == 0 {
			return nil
		}
		dest, err := os.Readlink(p)
		if err == nil && strings.HasPrefix(dest, "/etc/static/") && !declared[rel] {
			o.Logf("activation: removing obsolete /etc/%s", rel)
			return os.Remove(p)
		}
		return nil
	})
}

// cleanCopies deletes copies made by an earlier activation that the new
// configuration no longer declares, and records the current ones in
// /etc/.clean.
func cleanCopies(o *Options, copied []string) error {
	now := map[string]bool{}
	for _, c := range copied {
		now[c] = true
	}
	if old, err := os.ReadFile(o.path("/etc/.clean")); err == nil {
		for _, rel := range strings.Split(string(old), "\n") {
			if rel != "" && !now[rel] && !strings.Contains(rel, "..") {
				os.Remove(o.path("/etc/" + rel))
			}
		}
	}
	sort.Strings(copied)
	data := strings.Join(copied, "\n")
	if data != "" {
		data += "\n"
	}
	return writeFileAtomic(o.path("/etc/.clean"), []byte(data), 0o644, -1, -1)
}
