// Package etctree builds the etc tree of a Frazil system: the directory a
// generation's toplevel links as etc/ and that activation makes /etc/static.
//
// The layout is NixOS's (nixos/modules/system/etc/make-etc.sh). Every entry
// of environment.etc becomes a symlink etc/<target> → <source> in the store.
// An entry with a mode other than "symlink" also gets sidecar files next to
// it: <target>.mode (octal mode, or "direct-symlink"), <target>.uid and
// <target>.gid (a number or a user/group name; NixOS writes "+<n>" for
// numbers). Activation copies such entries into /etc with that mode and
// owner instead of linking them through /etc/static.
package etctree

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Entry is one environment.etc entry, as modules/system/etc.nix passes it.
type Entry struct {
	Target string `json:"target"` // path below /etc
	Source string `json:"source"` // store path of the file or directory
	Mode   string `json:"mode"`   // "symlink", "direct-symlink" or an octal mode such as "0440"
	User   string `json:"user"`   // owner of a copied file: a name or "+<uid>"
	Group  string `json:"group"`  // group of a copied file: a name or "+<gid>"
}

// Check validates an entry: a clean relative target, an absolute source
// and a known mode.
func (e Entry) Check() error {
	t := e.Target
	if t == "" || strings.HasPrefix(t, "/") || path.Clean(t) != t || t == "." || strings.HasPrefix(t, "../") || t == ".." {
		return fmt.Errorf("etc entry %q: target must be a clean relative path", t)
	}
	if ext := path.Ext(t); ext == ".mode" || ext == ".uid" || ext == ".gid" {
		return fmt.Errorf("etc entry %q: names ending in %s are reserved for sidecar files", t, ext)
	}
	if !strings.HasPrefix(e.Source, "/") {
		return fmt.Errorf("etc entry %q: source %q is not an absolute path", t, e.Source)
	}
	switch e.Mode {
	case "", "symlink", "direct-symlink":
		return nil
	}
	if n, err := strconv.ParseUint(e.Mode, 8, 32); err != nil || n > 0o7777 {
		return fmt.Errorf("etc entry %q: mode %q is not symlink, direct-symlink or an octal mode", t, e.Mode)
	}
	return nil
}

// Check validates every entry and that no target is given twice or lies
// inside another entry's target.
func Check(entries []Entry) error {
	targets := map[string]bool{}
	for _, e := range entries {
		if err := e.Check(); err != nil {
			return err
		}
		if targets[e.Target] {
			return fmt.Errorf("etc entry %q is defined twice", e.Target)
		}
		targets[e.Target] = true
	}
	for t := range targets {
		for d := path.Dir(t); d != "."; d = path.Dir(d) {
			if targets[d] {
				return fmt.Errorf("etc entry %q lies inside entry %q", t, d)
			}
		}
	}
	return nil
}

// Build creates the tree at out/etc. out must not exist yet.
func Build(out string, entries []Entry) error {
	if err := Check(entries); err != nil {
		return fmt.Errorf("etc tree: %w", err)
	}
	sorted := append([]Entry(nil), entries...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Target < sorted[j].Target })
	etc := filepath.Join(out, "etc")
	if err := os.MkdirAll(etc, 0o755); err != nil {
		return fmt.Errorf("etc tree: %w", err)
	}
	for _, e := range sorted {
		if err := add(etc, e); err != nil {
			return fmt.Errorf("etc tree: /etc/%s: %w", e.Target, err)
		}
	}
	return nil
}

func add(etc string, e Entry) error {
	dst := filepath.Join(etc, filepath.FromSlash(e.Target))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if err := os.Symlink(e.Source, dst); err != nil {
		return err
	}
	switch e.Mode {
	case "", "symlink":
		return nil
	case "direct-symlink":
		return os.WriteFile(dst+".mode", []byte("direct-symlink\n"), 0o444)
	}
	for _, side := range []struct{ ext, value, def string }{{".mode", e.Mode, ""}, {".uid", e.User, "+0"}, {".gid", e.Group, "+0"}} {
		v := side.value
		if v == "" {
			v = side.def
		}
		if err := os.WriteFile(dst+side.ext, []byte(v+"\n"), 0o444); err != nil {
			return err
		}
	}
	return nil
}

// ParseEntries decodes the JSON list of entries (unknown fields are
// rejected) and checks it.
func ParseEntries(data []byte) ([]Entry, error) {
	var entries []Entry
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&entries); err != nil {
		return nil, fmt.Errorf("etc entries: %w", err)
	}
	if err := Check(entries); err != nil {
		return nil, err
	}
	return entries, nil
}
