package pid1

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/frazil/frazil/init/activation"
	"github.com/frazil/frazil/init/stage1"
	"github.com/frazil/frazil/kernel/kmod"
	"golang.org/x/sys/unix"
)

// fsDeviceWait bounds the wait for a filesystem's device to appear.
const fsDeviceWait = 5 * time.Second

// mountFileSystems mounts activation.json's fileSystems, parents before
// children, after loading the modules their types need. A filesystem whose
// device does not appear, or that fails to mount, is reported; the others
// are still mounted.
func (s *system) mountFileSystems() error {
	fss := mountOrder(s.data.FileSystems)
	if len(fss) == 0 {
		return nil
	}
	var types []string
	for _, fs := range fss {
		if fs.FSType == "auto" || fs.FSType == "" {
			types = append(types, "ext4", "vfat") // what DetectType can answer
			continue
		}
		types = append(types, fs.FSType)
	}
	var errs []error
	if err := s.loadFSModules(types); err != nil {
		errs = append(errs, err)
	}
	for _, fs := range fss {
		if err := mountFileSystem(fs); err != nil {
			errs = append(errs, err)
		} else if s.debug {
			s.logf("mounted %s on %s", fs.Device, fs.MountPoint)
		}
	}
	return errors.Join(errs...)
}

// mountOrder drops noauto entries and the root and sorts the rest so that
// a mount point comes after its parents.
func mountOrder(fss []activation.FileSystem) []activation.FileSystem {
	var out []activation.FileSystem
	for _, fs := range fss {
		if fs.MountPoint == "/" || fs.MountPoint == "" || hasOption(fs.Options, "noauto") {
			continue
		}
		out = append(out, fs)
	}
	sort.SliceStable(out, func(i, j int) bool {
		return strings.Count(filepath.Clean(out[i].MountPoint), "/") < strings.Count(filepath.Clean(out[j].MountPoint), "/")
	})
	return out
}

func hasOption(opts []string, o string) bool {
	for _, x := range opts {
		if x == o {
			return true
		}
	}
	return false
}

// mountOptions turns fstab options into flags and data for mount(2),
// leaving out the ones only the boot process reads (noauto, nofail, auto,
// x-*).
func mountOptions(opts []string) (uintptr, string) {
	var kept []string
	for _, o := range opts {
		if o == "noauto" || o == "nofail" || o == "auto" || strings.HasPrefix(o, "x-") {
			continue
		}
		kept = append(kept, o)
	}
	return stage1.MountOptions(kept)
}

func mountFileSystem(fs activation.FileSystem) error {
	if mounted(fs.MountPoint) {
		return nil
	}
	dev, err := stage1.FindRoot(deviceSpec(fs.Device), fsDeviceWait, nil)
	if err != nil {
		return fmt.Errorf("mount %s: %w", fs.MountPoint, err)
	}
	if err := os.MkdirAll(fs.MountPoint, 0o755); err != nil {
		return fmt.Errorf("mount %s: %w", fs.MountPoint, err)
	}
	fsType := fs.FSType
	if fsType == "" || fsType == "auto" {
		if fsType, err = stage1.DetectType(dev); err != nil {
			return fmt.Errorf("mount %s: %w", fs.MountPoint, err)
		}
	}
	flags, data := mountOptions(fs.Options)
	if err := unix.Mount(dev, fs.MountPoint, fsType, flags, data); err != nil {
		return fmt.Errorf("mount %s (%s, %s) on %s: %w", fs.Device, dev, fsType, fs.MountPoint, err)
	}
	return nil
}

// deviceSpec turns the udev links NixOS configurations name devices by
// (/dev/disk/by-label/X, /dev/disk/by-uuid/X) into LABEL=X and UUID=X:
// there is no udev to make them, so PID 1 looks the filesystems up itself.
func deviceSpec(dev string) string {
	if l, ok := strings.CutPrefix(dev, "/dev/disk/by-label/"); ok {
		return "LABEL=" + l
	}
	if u, ok := strings.CutPrefix(dev, "/dev/disk/by-uuid/"); ok {
		return "UUID=" + u
	}
	return dev
}

// loadFSModules loads the modules of the given filesystem types that the
// generation's kernel-modules has.
func (s *system) loadFSModules(types []string) error {
	dir := s.modulesDir()
	mods, err := kmod.ReadModules(dir)
	if err != nil {
		return nil // no module tree: the kernel has what it has
	}
	var errs []error
	loaded := map[string]bool{}
	for _, t := range types {
		for _, n := range kmod.FSModules(t) {
			order, err := mods.Closure([]string{n})
			if err != nil {
				continue // built in, or not in this kernel
			}
			for _, m := range order {
				if loaded[m] {
					continue
				}
				loaded[m] = true
				if err := stage1.LoadModule(filepath.Join(dir, m)); err != nil {
					errs = append(errs, err)
				}
			}
		}
	}
	return errors.Join(errs...)
}
