package builder

// This file defines the sandbox init: the first process of a build's
// namespaces. Any binary that links this package (frazil, its test
// binaries) turns into the init when started with FRAZIL_SANDBOX_INIT=1,
// before main runs. It reads the spec from fd 3, mounts the sandbox's file
// system, pivots into it, drops to the build user and execs the builder,
// which thereby becomes PID 1 of the sandbox: when it exits, the kernel
// kills whatever it left running. Errors before the exec go to fd 4.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"syscall"

	"golang.org/x/sys/unix"
)

func init() {
	if os.Getenv(sandboxEnvVar) == "1" {
		sandboxMain()
	}
}

// sandboxMain never returns: it execs the builder or exits with status 1.
func sandboxMain() {
	errPipe := os.NewFile(4, "sandbox-errors")
	var spec sandboxSpec
	err := json.NewDecoder(os.NewFile(3, "sandbox-spec")).Decode(&spec)
	if err == nil {
		err = enterSandbox(&spec)
	}
	fmt.Fprint(errPipe, err)
	os.Exit(1)
}

// enterSandbox sets up the file system and execs the builder. It returns
// only on failure.
func enterSandbox(spec *sandboxSpec) error {
	unix.Close(3)
	steps := []struct {
		what string
		do   func(*sandboxSpec) error
	}{
		{"make mounts private", func(*sandboxSpec) error { return mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE) }},
		{"mount root", func(s *sandboxSpec) error { return mount(s.Root, s.Root, "", unix.MS_BIND) }},
		{"mount build directory", mountBuildDir},
		{"mount inputs", mountInputs},
		{"mount /proc", mountProc},
		{"populate /dev", mountDev},
		{"pivot root", pivot},
		{"set host name", setHostname},
		{"bring up loopback", loopbackUp},
		{"drop privileges", dropPrivileges},
	}
	for _, st := range steps {
		if err := st.do(spec); err != nil {
			return fmt.Errorf("%s: %w", st.what, err)
		}
	}
	unix.CloseOnExec(4)
	argv := append([]string{filepath.Base(spec.Builder)}, spec.Args...)
	err := syscall.Exec(spec.Builder, argv, spec.Env)
	return fmt.Errorf("executing builder '%s': %w", spec.Builder, err)
}

func mount(src, dst, fstype string, flags uintptr) error {
	if err := unix.Mount(src, dst, fstype, flags, ""); err != nil {
		return fmt.Errorf("mount %s on %s: %w", src, dst, err)
	}
	return nil
}

func mountBuildDir(s *sandboxSpec) error {
	dst := filepath.Join(s.Root, sandboxBuildDir)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	return mount(s.BuildDir, dst, "", unix.MS_BIND)
}

// mountInputs bind-mounts each input path and each extra path read-only.
// Symlinks are recreated rather than mounted (a mount would follow them).
func mountInputs(s *sandboxSpec) error {
	for _, m := range []map[string]string{s.Inputs, s.Extra} {
		dsts := make([]string, 0, len(m))
		for dst := range m {
			dsts = append(dsts, dst)
		}
		sort.Strings(dsts)
		for _, dst := range dsts {
			if err := bindReadOnly(m[dst], filepath.Join(s.Root, dst)); err != nil {
				return err
			}
		}
	}
	return nil
}

func bindReadOnly(src, dst string) error {
	fi, err := os.Lstat(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	switch {
	case fi.Mode()&os.ModeSymlink != 0:
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	case fi.IsDir():
		err = os.Mkdir(dst, 0o755)
	default:
		err = os.WriteFile(dst, nil, 0o444)
	}
	if err != nil {
		return err
	}
	if err := mount(src, dst, "", unix.MS_BIND|unix.MS_REC); err != nil {
		return err
	}
	return mount("", dst, "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV)
}

func mountProc(s *sandboxSpec) error {
	dst := filepath.Join(s.Root, "proc")
	if err := os.MkdirAll(dst, 0o555); err != nil {
		return err
	}
	return mount("proc", dst, "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC)
}

// devNodes are bound from the host's /dev.
var devNodes = []string{"null", "zero", "full", "random", "urandom", "tty"}

// mountDev gives the sandbox a minimal /dev: a few device nodes, a fresh
// /dev/shm and a private devpts instance.
func mountDev(s *sandboxSpec) error {
	dev := filepath.Join(s.Root, "dev")
	if err := os.MkdirAll(dev, 0o755); err != nil {
		return err
	}
	if err := mount("none", dev, "tmpfs", unix.MS_NOSUID|unix.MS_NOEXEC); err != nil {
		return err
	}
	for _, n := range devNodes {
		if err := bindDevice("/dev/"+n, filepath.Join(dev, n)); err != nil {
			return err
		}
	}
	for _, d := range []string{"shm", "pts"} {
		if err := os.Mkdir(filepath.Join(dev, d), 0o755); err != nil {
			return err
		}
	}
	if err := mount("none", filepath.Join(dev, "shm"), "tmpfs", unix.MS_NOSUID|unix.MS_NODEV); err != nil {
		return err
	}
	if err := os.Chmod(filepath.Join(dev, "shm"), 0o1777); err != nil {
		return err
	}
	if err := unix.Mount("none", filepath.Join(dev, "pts"), "devpts", unix.MS_NOSUID|unix.MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620"); err != nil {
		return fmt.Errorf("mount devpts: %w", err)
	}
	links := map[string]string{"ptmx": "pts/ptmx", "fd": "/proc/self/fd", "stdin": "/proc/self/fd/0", "stdout": "/proc/self/fd/1", "stderr": "/proc/self/fd/2"}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dev, name)); err != nil {
			return err
		}
	}
	return nil
}

func bindDevice(src, dst string) error {
	if err := os.WriteFile(dst, nil, 0o666); err != nil {
		return err
	}
	return mount(src, dst, "", unix.MS_BIND)
}

// pivot makes the root directory "/" and detaches the host's tree.
func pivot(s *sandboxSpec) error {
	if err := unix.Chdir(s.Root); err != nil {
		return err
	}
	if err := unix.PivotRoot(".", "."); err != nil {
		return fmt.Errorf("pivot_root: %w", err)
	}
	if err := unix.Unmount(".", unix.MNT_DETACH); err != nil {
		return fmt.Errorf("detach old root: %w", err)
	}
	return unix.Chdir(sandboxBuildDir)
}

func setHostname(s *sandboxSpec) error {
	if err := unix.Sethostname([]byte(s.Hostname)); err != nil {
		return err
	}
	return unix.Setdomainname([]byte("(none)"))
}

// loopbackUp brings up "lo" in a private network namespace, so builders
// can talk to themselves.
func loopbackUp(s *sandboxSpec) error {
	if s.Network {
		return nil
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
}

func dropPrivileges(s *sandboxSpec) error {
	if err := syscall.Setgroups(nil); err != nil {
		return fmt.Errorf("setgroups: %w", err)
	}
	if err := syscall.Setgid(s.GID); err != nil {
		return fmt.Errorf("setgid: %w", err)
	}
	if err := syscall.Setuid(s.UID); err != nil {
		return fmt.Errorf("setuid: %w", err)
	}
	return unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
}
