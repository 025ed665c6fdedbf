package pid1

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/frazil/frazil/init/stage1"
	"github.com/frazil/frazil/kernel/kmod"
	"golang.org/x/sys/unix"
)

// mountSpecial mounts the kernel filesystems; those stage 1 moved here are
// already mounted (EBUSY is fine).
func (s *system) mountSpecial() error {
	var errs []error
	for _, m := range []struct {
		fstype, target, data string
		flags                uintptr
		mode                 os.FileMode
	}{
		{"proc", "/proc", "", unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC, 0o555},
		{"sysfs", "/sys", "", unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC, 0o555},
		{"devtmpfs", "/dev", "mode=0755", unix.MS_NOSUID, 0o755},
		{"tmpfs", "/run", "mode=0755", unix.MS_NOSUID | unix.MS_NODEV, 0o755},
		{"devpts", "/dev/pts", "gid=5,mode=0620,ptmxmode=0666", unix.MS_NOSUID | unix.MS_NOEXEC, 0o755},
		{"tmpfs", "/dev/shm", "mode=1777", unix.MS_NOSUID | unix.MS_NODEV, 0o1777},
	} {
		if mounted(m.target) {
			continue
		}
		os.MkdirAll(m.target, m.mode)
		if err := unix.Mount(m.fstype, m.target, m.fstype, m.flags, m.data); err != nil && !errors.Is(err, unix.EBUSY) {
			errs = append(errs, fmt.Errorf("mount %s on %s: %w", m.fstype, m.target, err))
		}
	}
	return errors.Join(errs...)
}

// mounted reports whether dir is a mount point: its device differs from its
// parent's.
func mounted(dir string) bool {
	var st, parent unix.Stat_t
	if unix.Stat(dir, &st) != nil || unix.Stat(filepath.Dir(dir), &parent) != nil {
		return false
	}
	return st.Dev != parent.Dev
}

// storeReadOnly makes /nix/store a read-only bind mount when stage 1 did
// not (a boot without Frazil's initrd).
func (s *system) storeReadOnly() error {
	var st unix.Statfs_t
	if err := unix.Statfs("/nix/store", &st); err != nil {
		return fmt.Errorf("statfs /nix/store: %w", err)
	}
	if st.Flags&unix.ST_RDONLY != 0 {
		return nil
	}
	if err := unix.Mount("/nix/store", "/nix/store", "", unix.MS_BIND, ""); err != nil {
		return fmt.Errorf("bind /nix/store: %w", err)
	}
	flags := uintptr(unix.MS_BIND | unix.MS_REMOUNT | unix.MS_RDONLY | unix.MS_NODEV | unix.MS_NOSUID)
	if err := unix.Mount("", "/nix/store", "", flags, ""); err != nil {
		return fmt.Errorf("remount /nix/store read-only: %w", err)
	}
	return nil
}

// loadModules loads activation.json's kernelModules and their closure from
// <toplevel>/kernel-modules/<release>.
func (s *system) loadModules() error {
	if len(s.data.KernelModules) == 0 {
		return nil
	}
	dir := s.modulesDir()
	mods, err := kmod.ReadModules(dir)
	if err != nil {
		return err
	}
	order, err := mods.Closure(s.data.KernelModules)
	if err != nil {
		return err
	}
	var errs []error
	for _, m := range order {
		if err := stage1.LoadModule(filepath.Join(dir, m)); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// modulesDir is the running kernel's module directory in the generation:
// kernel-modules/<release>, or kernel-modules/lib/modules/<release>.
func (s *system) modulesDir() string {
	var uts unix.Utsname
	unix.Uname(&uts)
	release := unix.ByteSliceToString(uts.Release[:])
	dir := filepath.Join(s.toplevel, "kernel-modules", release)
	if _, err := os.Stat(dir); err != nil {
		dir = filepath.Join(s.toplevel, "kernel-modules", "lib/modules", release)
	}
	return dir
}

// unmountAll unmounts everything but the kernel filesystems and the root,
// deepest first, then remounts the root read-only.
func (s *system) unmountAll() {
	data, err := os.ReadFile("/proc/self/mounts")
	if err != nil {
		s.logf("unmount: %v", err)
		return
	}
	var targets []string
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		t := f[1]
		switch {
		case t == "/", t == "/proc", t == "/sys", t == "/dev", t == "/run",
			strings.HasPrefix(t, "/proc/"), strings.HasPrefix(t, "/sys/"), strings.HasPrefix(t, "/dev/"):
			continue
		}
		targets = append(targets, t)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(targets)))
	for _, t := range targets {
		if err := unix.Unmount(t, 0); err != nil {
			unix.Unmount(t, unix.MNT_DETACH)
		}
	}
	for range 3 {
		if err := unix.Mount("", "/", "", unix.MS_REMOUNT|unix.MS_RDONLY, ""); err == nil {
			return
		} else if !errors.Is(err, unix.EBUSY) {
			s.logf("remount / read-only: %v", err)
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	s.logf("remount / read-only: still busy")
}
