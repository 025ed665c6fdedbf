// Package testsystem assembles bootable Frazil systems for the QEMU
// scenarios and boot measurements without the evaluator: it builds this
// repository's device programs (frazil-init, frazil-stage1, frazil) and a
// service program for tests (testsvc) statically with the Go toolchain,
// takes u-root's gosh (built with the goshsmall tag, a plain line-based
// prompt that works over a serial line) and a few u-root commands as the
// userland, trims the pinned Debian kernel's modules to what the device
// loads, builds the initrd with package rootfs/initrd, and writes every
// piece into a store (with its database) as content-addressed paths.
//
// A [Generation] then becomes a toplevel laid out as docs/architecture.md
// says (init, kernel, kernel-modules, initrd, etc, sw, kernel-params,
// system, frazil-version, services.json, activation.json), with the
// services and activation data given by hand. It leaves out boot.json,
// whose bootspec names the toplevel itself: a content-addressed path cannot
// contain its own name.
//
// It stands in for `frazil rebuild` until configurations are evaluated
// into the same layout, and afterwards keeps the scenarios independent of
// the package set.
package testsystem

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/frazil/frazil/init/activation"
	"github.com/frazil/frazil/init/stage1"
	"github.com/frazil/frazil/init/supervisor"
	"github.com/frazil/frazil/kernel"
	"github.com/frazil/frazil/kernel/kmod"
	"github.com/frazil/frazil/rootfs/initrd"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// A Builder writes test systems into a store.
type Builder struct {
	Store  *store.Store
	Repo   string       // the repository's root: programs are built from it
	Kernel *kernel.Tree // the kernel every generation boots
	// Logf reports progress (nil: quiet).
	Logf func(format string, args ...any)

	once  sync.Once
	err   error
	work  string
	progs Programs
	boot  bootFiles
}

// Programs are the store paths of the packages a test system is made of.
type Programs struct {
	Init   storepath.Path // bin/init: frazil-init
	Frazil storepath.Path // bin/frazil
	Shell  storepath.Path // bin/gosh
	Tools  storepath.Path // bin/cat, ls, readlink, sleep, touch (u-root)
	Svc    storepath.Path // bin/testsvc
}

// bootFiles are the kernel-side paths shared by every generation.
type bootFiles struct {
	image, modules, initrd, trivialInitrd storepath.Path
}

// StageModules are loaded by stage 1 to reach the root filesystem.
var StageModules = []string{"virtio_pci", "virtio_blk", "ext4"}

// DeviceModules are what a test generation's kernel-modules holds (with
// their dependencies): the ACPI power button, virtio networking and the
// ESP's vfat with its code pages.
var DeviceModules = []string{"button", "evdev", "virtio_net", "vfat", "nls_cp437", "nls_ascii", "nls_iso8859-1", "nls_utf8"}

// uroot are the u-root commands the systems carry; gosh is the shell.
var uroot = []string{"gosh", "cat", "ls", "readlink", "sleep", "touch"}

func (b *Builder) logf(format string, args ...any) {
	if b.Logf != nil {
		b.Logf(format, args...)
	}
}

// Close removes the builder's scratch directory.
func (b *Builder) Close() error {
	if b.work == "" {
		return nil
	}
	return os.RemoveAll(b.work)
}

// Programs builds the programs and kernel pieces once and returns their
// packages.
func (b *Builder) Programs() (Programs, error) {
	b.once.Do(func() { b.err = b.prepare() })
	return b.progs, b.err
}

func (b *Builder) prepare() error {
	work, err := os.MkdirTemp("", "frazil-testsystem-")
	if err != nil {
		return err
	}
	b.work = work
	bin := filepath.Join(work, "bin")
	if err := b.goBuild(bin); err != nil {
		return err
	}
	single := func(name, file, dest string) (storepath.Path, error) {
		return b.addFiles(name, map[string]string{dest: filepath.Join(bin, file)})
	}
	steps := []struct {
		out              *storepath.Path
		name, file, dest string
	}{
		{&b.progs.Init, "frazil-init", "frazil-init", "bin/init"},
		{&b.progs.Frazil, "frazil", "frazil", "bin/frazil"},
		{&b.progs.Shell, "u-root-gosh", "gosh", "bin/gosh"},
		{&b.progs.Svc, "frazil-testsvc", "testsvc", "bin/testsvc"},
	}
	for _, s := range steps {
		if *s.out, err = single(s.name, s.file, s.dest); err != nil {
			return err
		}
	}
	tools := map[string]string{}
	for _, c := range uroot[1:] {
		tools["bin/"+c] = filepath.Join(bin, c)
	}
	if b.progs.Tools, err = b.addFiles("u-root-tools", tools); err != nil {
		return err
	}
	return b.prepareBoot(bin)
}

// goBuild builds every program, static and stripped, into dir.
func (b *Builder) goBuild(dir string) error {
	pkgs := []string{"./cmd/frazil", "./cmd/frazil-init", "./cmd/frazil-stage1",
		"./qemu-tests/testsystem/testsvc", "./init/boottest/testdata/trivial"}
	for _, c := range uroot {
		pkgs = append(pkgs, "github.com/u-root/u-root/cmds/core/"+c)
	}
	b.logf("building %d programs", len(pkgs))
	args := append([]string{"build", "-trimpath", "-tags", "goshsmall", "-ldflags=-s -w", "-o", dir + "/"}, pkgs...)
	cmd := exec.Command("go", args...)
	cmd.Dir = b.Repo
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %w\n%s", err, out)
	}
	return nil
}

// prepareBoot adds the kernel image, the trimmed module tree and the
// initrds.
func (b *Builder) prepareBoot(bin string) error {
	k := b.Kernel
	var err error
	if b.boot.image, err = b.addFiles("linux-"+k.Version+"-image", map[string]string{k.Image: filepath.Join(k.Dir, k.Image)}); err != nil {
		return err
	}
	mods := filepath.Join(b.work, "modules")
	if err := trimModules(filepath.Join(k.Dir, "lib/modules", k.Version), DeviceModules, filepath.Join(mods, k.Version)); err != nil {
		return err
	}
	if b.boot.modules, err = b.add("linux-"+k.Version+"-modules", mods); err != nil {
		return err
	}
	b.logf("building the initrds")
	if b.boot.initrd, err = b.addInitrd("initrd-linux-"+k.Version, filepath.Join(bin, "frazil-stage1"), StageModules); err != nil {
		return err
	}
	b.boot.trivialInitrd, err = b.addInitrd("initrd-trivial-init", filepath.Join(bin, "trivial"), nil)
	return err
}

func (b *Builder) addInitrd(name, init string, modules []string) (storepath.Path, error) {
	dir := filepath.Join(b.work, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	err := initrd.BuildFile(filepath.Join(dir, "initrd"), initrd.Options{
		Stage1:     init,
		ModulesDir: filepath.Join(b.Kernel.Dir, "lib/modules", b.Kernel.Version),
		Modules:    modules,
		Config:     stage1.DefaultConfig(),
	})
	if err != nil {
		return "", err
	}
	return b.add(name, dir)
}

// trimModules copies the closure of names from the module directory src to
// dst with a modules.dep for just those and the kernel's modules.builtin.
func trimModules(src string, names []string, dst string) error {
	mods, err := kmod.ReadModules(src)
	if err != nil {
		return err
	}
	order, err := mods.Closure(names)
	if err != nil {
		return err
	}
	var dep strings.Builder
	for _, m := range order {
		if err := copyFile(filepath.Join(src, m), filepath.Join(dst, m)); err != nil {
			return err
		}
		fmt.Fprintf(&dep, "%s: %s\n", m, strings.Join(mods.Deps(m), " "))
	}
	if err := os.WriteFile(filepath.Join(dst, "modules.dep"), []byte(dep.String()), 0o644); err != nil {
		return err
	}
	if err := copyFile(filepath.Join(src, "modules.builtin"), filepath.Join(dst, "modules.builtin")); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}

// A Generation describes one test system.
type Generation struct {
	HostName string // default "frazil-test"
	Label    string // frazil-version, and part of the toplevel's name
	// KernelParams default to DefaultKernelParams.
	KernelParams []string
	Services     []supervisor.Spec
	// Activation is activation.json; its HostName is set from HostName.
	Activation activation.Data
	Etc        map[string]string // extra /etc files: name -> contents
	Tools      bool              // u-root's commands in sw/bin besides sh and frazil
	// TrivialInit boots the trivial baseline init instead of stage 1 and
	// PID 1: its initrd's /init prints the monotonic time and powers off.
	TrivialInit bool
}

// DefaultKernelParams is the serial console, a quiet kernel and a reboot
// on panic.
var DefaultKernelParams = []string{"console=ttyS0,115200", "quiet", "panic=-1"}

// Toplevel writes the toplevel of g (and its etc tree and system path)
// into the store and returns its path.
func (b *Builder) Toplevel(g Generation) (storepath.Path, error) {
	p, err := b.Programs()
	if err != nil {
		return "", err
	}
	if g.HostName == "" {
		g.HostName = "frazil-test"
	}
	if g.KernelParams == nil {
		g.KernelParams = DefaultKernelParams
	}
	etc, err := b.etcTree(g)
	if err != nil {
		return "", err
	}
	sw, err := b.systemPath(g.Tools)
	if err != nil {
		return "", err
	}
	initrdPath := b.boot.initrd
	if g.TrivialInit {
		initrdPath = b.boot.trivialInitrd
	}
	g.Activation.HostName = g.HostName
	services, err := json.MarshalIndent(supervisor.File{Services: g.Services}, "", "  ")
	if err != nil {
		return "", err
	}
	if _, err := supervisor.Parse(services); err != nil {
		return "", fmt.Errorf("generation %s: %w", g.Label, err)
	}
	act, err := json.MarshalIndent(g.Activation, "", "  ")
	if err != nil {
		return "", err
	}
	dir := filepath.Join(b.work, "toplevel-"+g.Label)
	os.RemoveAll(dir)
	links := map[string]string{
		"init":           string(p.Init) + "/bin/init",
		"kernel":         string(b.boot.image) + "/" + b.Kernel.Image,
		"kernel-modules": string(b.boot.modules),
		"initrd":         string(initrdPath) + "/initrd",
		"etc":            string(etc) + "/etc",
		"sw":             string(sw),
	}
	files := map[string]string{
		"kernel-params":   strings.Join(g.KernelParams, " "),
		"system":          "x86_64-linux",
		"frazil-version":  g.Label,
		"services.json":   string(services) + "\n",
		"activation.json": string(act) + "\n",
	}
	if err := writeTree(dir, links, files); err != nil {
		return "", err
	}
	return b.add("frazil-system-"+g.HostName+"-"+g.Label, dir)
}

// etcTree adds the generation's etc tree: motd, frazil-generation (the
// label) and g.Etc.
func (b *Builder) etcTree(g Generation) (storepath.Path, error) {
	files := map[string]string{
		"etc/motd":              "Frazil test system " + g.Label + "\n",
		"etc/frazil-generation": g.Label + "\n",
	}
	for name, data := range g.Etc {
		files["etc/"+name] = data
	}
	dir := filepath.Join(b.work, "etc-"+g.Label)
	os.RemoveAll(dir)
	if err := writeTree(dir, nil, files); err != nil {
		return "", err
	}
	return b.add("etc", dir)
}

// systemPath adds sw: bin/sh (gosh), bin/frazil and, with tools, the
// u-root commands, as links into their packages.
func (b *Builder) systemPath(tools bool) (storepath.Path, error) {
	links := map[string]string{
		"bin/sh":     string(b.progs.Shell) + "/bin/gosh",
		"bin/gosh":   string(b.progs.Shell) + "/bin/gosh",
		"bin/frazil": string(b.progs.Frazil) + "/bin/frazil",
	}
	name := "system-path"
	if tools {
		for _, c := range uroot[1:] {
			links["bin/"+c] = string(b.progs.Tools) + "/bin/" + c
		}
		name = "system-path-tools"
	}
	dir := filepath.Join(b.work, name)
	os.RemoveAll(dir)
	if err := writeTree(dir, links, nil); err != nil {
		return "", err
	}
	return b.add(name, dir)
}

// Service returns a service running testsvc with args, wanted by
// multi-user.target.
func (p Programs) Service(name string, args ...string) supervisor.Spec {
	return supervisor.Spec{Name: name, Exec: append([]string{string(p.Svc) + "/bin/testsvc"}, args...),
		WantedBy: []string{supervisor.DefaultTarget}}
}

// ConsoleService is a root shell on the serial console (restarted when it
// exits): what vm.Run types commands into.
func ConsoleService() supervisor.Spec {
	return supervisor.Spec{Name: "console", Exec: []string{"/run/current-system/sw/bin/sh"}, TTY: "/dev/ttyS0",
		Restart: supervisor.RestartAlways, WantedBy: []string{supervisor.DefaultTarget}}
}

// ESP mounts the image's ESP on /boot, where `frazil generations` keeps
// the boot menu.
func ESP() activation.FileSystem {
	return activation.FileSystem{MountPoint: "/boot", Device: "LABEL=FRAZIL-ESP", FSType: "vfat", Options: []string{"umask=0077"}}
}

// UserNetwork is the static configuration for QEMU's user networking
// (the guest is 10.0.2.15; the host's forwarded ports reach it).
func UserNetwork() activation.Network {
	return activation.Network{
		Interfaces:     []activation.Interface{{Name: "eth0", Addresses: []string{"10.0.2.15/24"}}},
		DefaultGateway: "10.0.2.2",
	}
}

// addFiles adds a path holding host files at the given relative names.
func (b *Builder) addFiles(name string, files map[string]string) (storepath.Path, error) {
	dir := filepath.Join(b.work, "pkg-"+name)
	os.RemoveAll(dir)
	for dest, src := range files {
		if err := copyFile(src, filepath.Join(dir, dest)); err != nil {
			return "", err
		}
	}
	return b.add(name, dir)
}

// add copies dir into the store as a source path whose references are the
// store paths its contents name.
func (b *Builder) add(name, dir string) (storepath.Path, error) {
	candidates, err := b.Store.AllValid()
	if err != nil {
		return "", err
	}
	_, _, refs, err := store.ScanPath(dir, candidates)
	if err != nil {
		return "", err
	}
	info, err := b.Store.AddTree(dir, name, storepath.Recursive, refs)
	if err != nil {
		return "", err
	}
	b.logf("added %s", info.Path)
	return info.Path, nil
}

// writeTree creates dir with symlinks (name -> target) and text files.
func writeTree(dir string, links, files map[string]string) error {
	var names []string
	for n := range links {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.Symlink(links[n], p); err != nil {
			return err
		}
	}
	for n, data := range files {
		p := filepath.Join(dir, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, data, st.Mode().Perm())
}

// Minimal is the smallest useful test system: a web service answering
// "frazil minimal", a root shell on the serial console, the ESP on /boot
// and the power button; no tools beyond sh and frazil.
func Minimal(p Programs) Generation {
	web := p.Service("web", "web", ":80", "frazil minimal")
	web.Restart = supervisor.RestartAlways
	return Generation{
		Label:    "minimal",
		Services: []supervisor.Spec{ConsoleService(), web},
		Activation: activation.Data{
			KernelModules: []string{"button", "evdev", "virtio_net"},
			Network:       UserNetwork(),
			FileSystems:   []activation.FileSystem{ESP()},
		},
	}
}
