// Package activation makes a generation current on a machine: the stage-2
// work NixOS does in its activation script, adapted to Frazil's toplevel
// (docs/architecture.md).
//
// [Activate] runs a list of steps, each best-effort: a failing step is
// reported and the others still run, so a typo in one user does not leave
// the machine without /etc. The steps:
//
//   - dirs: /tmp and /var/tmp (1777), /var/{log,lib,db}, /var/empty, /root
//     (0700), /home, /bin, /usr/bin, /run/lock, /nix/var/nix/{gcroots,profiles};
//     /var/run → /run, /var/lock → /run/lock
//   - etc: /etc/static → <toplevel>/etc by one atomic rename; then each entry
//     of the tree becomes /etc/<f> → /etc/static/<f> (atomic), or a copy when
//     it has a <f>.mode sidecar (with <f>.uid/<f>.gid), or a direct store
//     link for mode "direct-symlink"; links into /etc/static that the new
//     tree lacks are removed, and copies listed in /etc/.clean but no longer
//     declared are deleted
//   - users: /etc/passwd, /etc/group, /etc/shadow from activation.json (root
//     and nobody are always there; a password hash set on the machine is
//     kept when the configuration gives none), home directories, and
//     /etc/ssh/authorized_keys.d/<user>
//   - binsh: /bin/sh → <toplevel>/sw/bin/sh, /usr/bin/env → <toplevel>/sw/bin/env
//   - current: /run/current-system → <toplevel> (and /run/booted-system at
//     boot), with GC roots /nix/var/nix/gcroots/{current,booted}-system
//   - sync: one syncfs of the root filesystem (files are replaced by rename
//     without an fsync each; see writeFileAtomic)
//
// Every path is taken relative to Options.Root, so the whole activation
// runs in a temporary directory in tests. Symlink targets are the logical
// paths the running system sees.
package activation

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Data is activation.json.
type Data struct {
	HostName      string            `json:"hostName"`
	Users         []User            `json:"users"`
	Groups        []Group           `json:"groups"`
	Network       Network           `json:"network"`
	KernelModules []string          `json:"kernelModules"`
	Variables     map[string]string `json:"variables"`
	FileSystems   []FileSystem      `json:"fileSystems,omitempty"`
}

// FileSystem is one filesystem PID 1 mounts at boot, besides the root
// (which stage 1 mounts): NixOS's fileSystems.<mountPoint>, e.g. the ESP
// at /boot, which `frazil generations` rewrites the boot menu on.
type FileSystem struct {
	MountPoint string   `json:"mountPoint"`
	Device     string   `json:"device"` // LABEL=…, UUID=… or /dev/…
	FSType     string   `json:"fsType"`
	Options    []string `json:"options,omitempty"` // fstab options; noauto skips it, nofail and x-* are ignored
}

// User is one declared user.
type User struct {
	Name           string   `json:"name"`
	UID            int      `json:"uid"`
	Group          string   `json:"group"`
	Description    string   `json:"description,omitempty"`
	Home           string   `json:"home"`
	Shell          string   `json:"shell"`
	HashedPassword string   `json:"hashedPassword,omitempty"`
	IsNormalUser   bool     `json:"isNormalUser"`
	CreateHome     bool     `json:"createHome,omitempty"`
	ExtraGroups    []string `json:"extraGroups,omitempty"`
	AuthorizedKeys []string `json:"authorizedKeys,omitempty"`
}

// Group is one declared group.
type Group struct {
	Name    string   `json:"name"`
	GID     int      `json:"gid"`
	Members []string `json:"members"`
}

// Network is the static network configuration PID 1 applies.
type Network struct {
	Interfaces     []Interface `json:"interfaces"`
	DefaultGateway string      `json:"defaultGateway,omitempty"`
	Nameservers    []string    `json:"nameservers,omitempty"`
	DHCP           bool        `json:"dhcp,omitempty"` // DHCP on interfaces not listed
}

// Interface is one interface's configuration.
type Interface struct {
	Name      string   `json:"name"`
	DHCP      bool     `json:"dhcp"`
	Addresses []string `json:"addresses"` // CIDR
}

// Load reads activation.json; a missing file is an empty configuration.
func Load(path string) (*Data, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &Data{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("activation %s: %w", path, err)
	}
	var d Data
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("activation %s: %w", path, err)
	}
	return &d, nil
}

// Options say what to activate where.
type Options struct {
	Root     string // "/" on a machine; a temp dir in tests
	Toplevel string // the generation's store path, as seen from Root
	Booting  bool   // also set /run/booted-system
	Data     *Data
	// Logf reports each step's problems (nil: discarded).
	Logf func(format string, args ...any)
	// Debug also reports each step's duration.
	Debug bool
}

// step is one part of activation.
type step struct {
	name string
	run  func(o *Options) error
}

var steps = []step{
	{"dirs", createDirs},
	{"etc", setupEtc},
	{"users", setupUsers},
	{"binsh", setupBinSh},
	{"current", setupCurrent},
	{"sync", syncRoot},
}

// Activate runs every step and returns their errors joined (nil when all
// succeeded).
func Activate(o Options) error {
	if o.Data == nil {
		o.Data = &Data{}
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	var errs []error
	for _, s := range steps {
		begin := time.Now()
		err := s.run(&o)
		if o.Debug {
			o.Logf("activation step %s took %v", s.name, time.Since(begin).Round(time.Microsecond))
		}
		if err != nil {
			o.Logf("activation step %s failed: %v", s.name, err)
			errs = append(errs, fmt.Errorf("activation %s: %w", s.name, err))
		}
	}
	return errors.Join(errs...)
}

// path maps a logical absolute path to the real one under Root.
func (o *Options) path(p string) string { return filepath.Join(o.Root, p) }

func createDirs(o *Options) error {
	var errs []error
	for _, d := range []struct {
		path string
		mode os.FileMode
	}{
		{"/tmp", os.ModeSticky | 0o777}, {"/var/tmp", os.ModeSticky | 0o777}, {"/var/log", 0o755}, {"/var/lib", 0o755},
		{"/var/db", 0o755}, {"/var/empty", 0o555}, {"/root", 0o700}, {"/home", 0o755},
		{"/bin", 0o755}, {"/usr/bin", 0o755}, {"/etc", 0o755}, {"/run/lock", 0o755},
		{"/run/frazil", 0o755}, {"/nix/var/nix/gcroots", 0o755}, {"/nix/var/nix/profiles", 0o755},
	} {
		p := o.path(d.path)
		if err := os.MkdirAll(p, d.mode); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := os.Chmod(p, d.mode); err != nil {
			errs = append(errs, err)
		}
	}
	for link, target := range map[string]string{"/var/run": "/run", "/var/lock": "/run/lock"} {
		if cur, err := os.Readlink(o.path(link)); err == nil && cur == target {
			continue
		}
		os.RemoveAll(o.path(link))
		if err := atomicSymlink(target, o.path(link)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func setupBinSh(o *Options) error {
	var errs []error
	for link, rel := range map[string]string{"/bin/sh": "sw/bin/sh", "/usr/bin/env": "sw/bin/env"} {
		target := filepath.Join(o.Toplevel, rel)
		if _, err := os.Stat(o.path(target)); err != nil {
			o.Logf("activation: %s: no %s in the generation; leaving it alone", link, rel)
			continue
		}
		if err := atomicSymlink(target, o.path(link)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func setupCurrent(o *Options) error {
	links := [][2]string{
		{"/run/current-system", o.Toplevel},
		{"/nix/var/nix/gcroots/current-system", "/run/current-system"},
	}
	if o.Booting {
		links = append(links,
			[2]string{"/run/booted-system", o.Toplevel},
			[2]string{"/nix/var/nix/gcroots/booted-system", "/run/booted-system"})
	}
	var errs []error
	for _, l := range links {
		if err := atomicSymlink(l[1], o.path(l[0])); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
