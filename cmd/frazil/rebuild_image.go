package main

// frazil rebuild switch|boot|test|build-image|build-vm: nixos-rebuild's
// actions that install or package a built system. The toplevel comes from
// rebuild.go (evaluate the configuration and build it) or from --toplevel.

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/frazil/frazil/generations"
	"github.com/frazil/frazil/image"
	"github.com/frazil/frazil/image/bootloader"
	"github.com/frazil/frazil/init/control"
	"github.com/frazil/frazil/init/supervisor"
	"github.com/frazil/frazil/rootfs/toplevel"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// deployActions are the rebuild actions this file implements.
var deployActions = map[string]bool{"switch": true, "boot": true, "test": true, "build-image": true, "build-vm": true}

const deployUsage = `usage: frazil rebuild switch|boot|test|build-image|build-vm [--file configuration.nix | --toplevel PATH] [flags]

  switch       add the system as the profile's next generation, update the boot menu
               and, on the running machine, activate it now
  boot         add the generation and update the boot menu; activate at the next boot
  test         activate it now without adding a generation (the running machine only)
  build-image  write a raw disk image (-o disk.img): the system as its only generation,
               or with --profile every generation of that profile, the system added
  build-vm     the image plus a script (-o DIR: DIR/disk.img, DIR/bin/run-vm) that boots it

On a build host --profile DIR names a profile of that store (like nix-env -p); without
--profile and --store the profile is the machine's own /nix/var/nix/profiles/system, the
boot menu is on /boot, and switch and test ask PID 1 to activate the system.
`

// deployOpts are the flags of the deploy actions.
type deployOpts struct {
	rebuildOpts
	toplevel string // a built toplevel instead of the configuration
	profile  string
	boot     string // ESP directory whose boot menu follows the profile
	socket   string
	output   string
	free     string
	espSize  string
	bios     bool
	uefi     bool
	asJSON   bool
}

func runRebuildDeploy(action string, args []string) error {
	var o deployOpts
	fs := flag.NewFlagSet("rebuild "+action, flag.ContinueOnError)
	o.register(fs)
	fs.StringVar(&o.storeDir, "store", "/", "root directory of the store (the store is DIR/nix/store)")
	fs.IntVar(&o.jobs, "j", 1, "number of builds to run in parallel")
	fs.BoolVar(&o.keepGoing, "k", false, "keep building what does not depend on a failed build")
	fs.BoolVar(&o.printLogs, "L", false, "print the build logs on stderr")
	fs.StringVar(&o.toplevel, "toplevel", "", "a built toplevel `path` to use instead of evaluating the configuration")
	fs.StringVar(&o.profile, "profile", "", "the profile `path` (default: the store's nix/var/nix/profiles/system)")
	fs.StringVar(&o.boot, "boot", "", "ESP `DIR` whose boot menu follows the profile (default /boot on the running machine; \"none\" to skip)")
	fs.StringVar(&o.socket, "socket", control.SocketPath, "PID 1's control socket (switch, test)")
	fs.StringVar(&o.output, "o", "", "build-image: the image `file` (default disk.img); build-vm: the directory (default result-vm)")
	fs.StringVar(&o.free, "free", "64M", "free `space` in the image's root file system (K, M, G suffixes)")
	fs.StringVar(&o.espSize, "esp-size", "", "ESP `size` (default: twice the boot files, at least 34M)")
	fs.BoolVar(&o.bios, "bios", false, "install the BIOS loader only (default: from the configuration)")
	fs.BoolVar(&o.uefi, "uefi", false, "install the UEFI loader only (default: from the configuration)")
	fs.BoolVar(&o.asJSON, "json", false, "build-image: print the result as JSON")
	fs.Usage = func() { fmt.Fprint(os.Stderr, deployUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(os.Stderr, "frazil rebuild: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	s, err := store.Open(o.storeDir)
	if err != nil {
		return err
	}
	defer s.Close()
	top, err := o.system(s)
	if err != nil {
		return err
	}
	return o.deploy(action, s, top, os.Stdout, os.Stderr)
}

// system returns the toplevel to deploy: --toplevel, or the configuration
// evaluated and built.
func (o *deployOpts) system(s *store.Store) (storepath.Path, error) {
	if o.toplevel == "" {
		drv, err := o.instantiate(s, os.Stderr)
		if err != nil {
			return "", err
		}
		return o.build(s, drv)
	}
	p, err := storepath.Parse(o.toplevel)
	if err != nil {
		return "", fmt.Errorf("--toplevel: %w", err)
	}
	if ok, err := s.IsValid(p); err != nil || !ok {
		return "", fmt.Errorf("--toplevel %s: not a valid path in the store at %s (%v)", p, s.Root(), err)
	}
	return p, nil
}

// running reports whether the deploy targets the machine it runs on.
func (o *deployOpts) running() bool { return o.profile == "" && o.storeDir == "/" }

func (o *deployOpts) deploy(action string, s *store.Store, top storepath.Path, stdout, stderr io.Writer) error {
	switch action {
	case "switch", "boot":
		if err := o.addGeneration(s, top, stderr); err != nil {
			return err
		}
		if action == "switch" {
			if err := o.activate(top, stderr); err != nil {
				return err
			}
		}
	case "test":
		if !o.running() {
			return errors.New("test activates the running machine's system: it takes no --profile or --store")
		}
		if err := o.activate(top, stderr); err != nil {
			return err
		}
	case "build-image":
		return o.buildImage(s, top, stdout, stderr)
	case "build-vm":
		return o.buildVM(s, top, stdout, stderr)
	default:
		return fmt.Errorf("unknown rebuild action %q", action)
	}
	fmt.Fprintln(stdout, top)
	return nil
}

// openProfile opens the deploy's profile and says which ESP to update.
func (o *deployOpts) openProfile() (*generations.Profile, string, error) {
	store := o.storeDir
	if store == "/" {
		store = ""
	}
	return openProfile(o.profile, store, o.boot)
}

// addGeneration makes top the profile's current generation (a new one
// unless the newest already is top) and updates the boot menu.
func (o *deployOpts) addGeneration(s *store.Store, top storepath.Path, stderr io.Writer) error {
	p, bootDir, err := o.openProfile()
	if err != nil {
		return err
	}
	if err := setGeneration(p, o.storeDir, string(top)); err != nil {
		return err
	}
	return updateBootMenu(p, bootDir)
}

// activate asks PID 1 to switch to top, on the running machine only.
func (o *deployOpts) activate(top storepath.Path, stderr io.Writer) error {
	if !o.running() {
		fmt.Fprintf(stderr, "not the running machine's profile: %s becomes active when a machine boots it\n", top)
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	fmt.Fprintf(stderr, "activating %s\n", top)
	ch, err := control.NewClient(o.socket).Switch(ctx, string(top))
	if err != nil {
		return fmt.Errorf("activate %s: %w", top, err)
	}
	printChanges(stderr, ch)
	return nil
}

func printChanges(w io.Writer, ch supervisor.Changes) {
	for _, p := range []struct {
		what  string
		names []string
	}{{"stopped", ch.Stopped}, {"started", ch.Started}, {"restarted", ch.Restarted}} {
		if len(p.names) > 0 {
			fmt.Fprintf(w, "%s: %s\n", p.what, strings.Join(p.names, ", "))
		}
	}
	if len(ch.Stopped)+len(ch.Started)+len(ch.Restarted) == 0 {
		fmt.Fprintln(w, "no service changed")
	}
}

// imageOptions prepares image.Options for top: its bootloader settings
// from boot.json, the flags, and with --profile every generation of the
// profile after adding top to it.
func (o *deployOpts) imageOptions(s *store.Store, top storepath.Path, out string, stderr io.Writer) (image.Options, error) {
	opts := image.Options{Output: out, StoreRoot: s.Root(), Progress: stderr}
	menu, fw, err := loaderSettings(s.RealPath(top))
	if err != nil {
		return opts, err
	}
	opts.Menu, opts.Firmware = menu, fw
	if o.bios || o.uefi {
		opts.Firmware = 0
		if o.bios {
			opts.Firmware |= bootloader.BIOS
		}
		if o.uefi {
			opts.Firmware |= bootloader.UEFI
		}
	}
	if opts.FreeSpace, err = parseSize(o.free); err != nil {
		return opts, err
	}
	if o.espSize != "" {
		if opts.ESPSize, err = parseSize(o.espSize); err != nil {
			return opts, err
		}
	}
	if o.profile == "" {
		opts.Toplevel = string(top)
		return opts, nil
	}
	p, err := generations.Open(o.profile, s.Root())
	if err != nil {
		return opts, err
	}
	if err := setGeneration(p, s.Root(), string(top)); err != nil {
		return opts, err
	}
	opts.Profile = o.profile
	return opts, nil
}

// loaderSettings reads the menu options and firmware from a toplevel's
// boot.json ("org.frazil.bootloader.v1"); a toplevel without them gets
// the defaults (5 s, 100 entries, BIOS and UEFI on x86).
func loaderSettings(realTop string) (bootloader.MenuOptions, bootloader.Firmware, error) {
	menu := bootloader.MenuOptions{Timeout: 5, Limit: 100}
	data, err := os.ReadFile(filepath.Join(realTop, "boot.json"))
	if errors.Is(err, os.ErrNotExist) {
		return menu, 0, nil
	}
	if err != nil {
		return menu, 0, err
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return menu, 0, fmt.Errorf("boot.json: %w", err)
	}
	raw, ok := doc[toplevel.BootloaderKey]
	if !ok {
		return menu, 0, nil
	}
	var set struct {
		Timeout            *int    `json:"timeout"`
		ConfigurationLimit int     `json:"configurationLimit"`
		EFISupport         *bool   `json:"efiSupport"`
		BIOSSupport        *bool   `json:"biosSupport"`
		Root               *string `json:"root"`
	}
	if err := json.Unmarshal(raw, &set); err != nil {
		return menu, 0, fmt.Errorf("boot.json %s: %w", toplevel.BootloaderKey, err)
	}
	menu.Timeout = -1 // null: wait for a key
	if set.Timeout != nil {
		menu.Timeout = *set.Timeout
	}
	if set.ConfigurationLimit > 0 {
		menu.Limit = set.ConfigurationLimit
	}
	if set.Root != nil && *set.Root != bootloader.DefaultRoot {
		menu.Root = *set.Root
	}
	var fw bootloader.Firmware
	if set.BIOSSupport == nil || *set.BIOSSupport {
		fw |= bootloader.BIOS
	}
	if set.EFISupport == nil || *set.EFISupport {
		fw |= bootloader.UEFI
	}
	return menu, fw, nil
}

// buildImage writes the image and prints its path (or JSON).
func (o *deployOpts) buildImage(s *store.Store, top storepath.Path, stdout, stderr io.Writer) error {
	out := o.output
	if out == "" {
		out = "disk.img"
	}
	res, opts, err := o.writeImage(s, top, out, stderr)
	if err != nil {
		return err
	}
	if o.asJSON {
		return json.NewEncoder(stdout).Encode(map[string]any{"toplevel": top, "image": opts.Output, "size": res.Layout.Size,
			"layout": res.Layout, "paths": res.Paths, "espVolumeID": res.ESPVolumeID, "menu": res.Menu})
	}
	fmt.Fprintln(stdout, opts.Output)
	return nil
}

func (o *deployOpts) writeImage(s *store.Store, top storepath.Path, out string, stderr io.Writer) (*image.Result, image.Options, error) {
	opts, err := o.imageOptions(s, top, out, stderr)
	if err != nil {
		return nil, opts, err
	}
	if opts.Firmware&bootloader.BIOS != 0 {
		if sys, err := os.ReadFile(s.RealPath(top) + "/system"); err == nil && !strings.HasPrefix(string(sys), "x86_64") && !strings.HasPrefix(string(sys), "i686") {
			opts.Firmware &^= bootloader.BIOS // BIOS boot exists on x86 only
		}
	}
	src := s
	opts.Closure = func(roots []string) ([]string, error) {
		ps, err := src.Closure(toPaths(roots))
		return fromPaths(ps), err
	}
	opts.Database = func(dir string, paths []string) error { return copyRegistrations(src, dir, paths) }
	res, err := image.Build(opts)
	if err != nil {
		return nil, opts, err
	}
	fmt.Fprintf(stderr, "%s: %s, %d store paths, %d menu entries\n", opts.Output, res.Layout, len(res.Paths), len(res.Menu.Entries))
	return res, opts, nil
}

// buildVM writes DIR/disk.img and DIR/bin/run-vm, and prints the script.
func (o *deployOpts) buildVM(s *store.Store, top storepath.Path, stdout, stderr io.Writer) error {
	dir := o.output
	if dir == "" {
		dir = "result-vm"
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "bin"), 0o755); err != nil {
		return err
	}
	if _, _, err := o.writeImage(s, top, filepath.Join(dir, "disk.img"), stderr); err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	script := filepath.Join(dir, "bin", "run-vm")
	if err := writeFileAtomic(script, []byte(runVMScript(self, top, filepath.Join(dir, "disk.img"))), 0o755); err != nil {
		return err
	}
	fmt.Fprintln(stdout, script)
	return nil
}

// runVMScript is build-vm's script: it boots the image with frazil run-vm,
// passing its arguments on (e.g. --uefi, --snapshot).
func runVMScript(frazil string, top storepath.Path, img string) string {
	return fmt.Sprintf(`#!/bin/sh
# Boots %s in QEMU, the serial console on this terminal (Ctrl-A X quits).
# Arguments go to frazil run-vm: --uefi, --snapshot, --mem MiB.
exec %s run-vm "$@" %s
`, top, shQuote(frazil), shQuote(img))
}

func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// writeFileAtomic writes a file by temp file, fsync and rename.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
