package stage1

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// newRoot is where the root filesystem is mounted before switch_root.
const newRoot = "/mnt-root"

// Main is the initrd's /init. It never returns: it executes the next init,
// or reports the failure and opens the rescue prompt or reboots.
func Main() {
	if os.Getpid() != 1 {
		fmt.Fprintf(os.Stderr, "frazil-stage1: running as pid %d: this is an initrd's /init and does nothing elsewhere\n", os.Getpid())
		os.Exit(1)
	}
	console := openConsole()
	lg := &logger{w: console}
	log := lg.printf
	log("started (%.3fs)", monotonic())
	cfg, err := boot(lg)
	if err == nil {
		err = execInit(cfg.Init) // returns only on failure
	}
	log("error: %v", err)
	if cfg.EmergencyShell {
		log("starting the rescue prompt (type help)")
		rescue(os.Stdin, console, cfg)
	}
	log("rebooting in 30 seconds (add frazil.shell to the kernel command line for a rescue prompt)")
	time.Sleep(30 * time.Second)
	unix.Sync()
	unix.Reboot(unix.LINUX_REBOOT_CMD_RESTART)
	for {
		time.Sleep(time.Hour) // not select{}: the runtime would call that a deadlock and exit
	}
}

// logger prints to the console, with monotonic timestamps once
// frazil.debug is seen.
type logger struct {
	w     io.Writer
	debug bool
}

func (l *logger) printf(format string, args ...any) {
	if l.debug {
		format = "[%.3f] " + format
		args = append([]any{monotonic()}, args...)
	}
	fmt.Fprintf(l.w, "frazil-stage1: "+format+"\n", args...)
}

func monotonic() float64 {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return float64(ts.Nano()) / 1e9
}

// openConsole makes sure fds 0-2 are the console: the kernel opens
// /dev/console for init only if the initrd has that node.
func openConsole() io.Writer {
	os.MkdirAll("/dev", 0o755)
	unix.Mount("devtmpfs", "/dev", "devtmpfs", unix.MS_NOSUID, "mode=0755")
	f, err := os.OpenFile("/dev/console", os.O_RDWR, 0)
	if err != nil {
		return os.Stdout
	}
	for fd := 0; fd < 3; fd++ {
		unix.Dup2(int(f.Fd()), fd)
	}
	return os.Stdout
}

// boot runs every step up to (not including) the exec of init. The config
// it returns is valid even with an error, for the rescue decision.
func boot(lg *logger) (Config, error) {
	log := lg.printf
	cfg := DefaultConfig()
	if err := mountEarly(); err != nil {
		return cfg, err
	}
	cmdline, err := os.ReadFile("/proc/cmdline")
	if err != nil {
		return cfg, fmt.Errorf("read /proc/cmdline: %w", err)
	}
	args := ParseCmdline(string(cmdline))
	loaded, err := LoadConfig(ConfigPath)
	if err != nil {
		cfg.ApplyCmdline(args)
		return cfg, err
	}
	cfg = loaded
	cfg.ApplyCmdline(args)
	lg.debug = cfg.Debug
	if cfg.Init == "" {
		return cfg, errors.New("no init= on the kernel command line: the boot loader must pass the generation's init")
	}
	loadModules(cfg, log)
	dev, err := FindRoot(cfg.Root, time.Duration(cfg.RootWaitSeconds)*time.Second, log)
	if err != nil {
		return cfg, err
	}
	log("root %s is %s", cfg.Root, dev)
	if err := mountRoot(cfg, dev); err != nil {
		return cfg, err
	}
	if err := bindStore(cfg); err != nil {
		return cfg, err
	}
	// Lstat: init is normally a symlink whose absolute target only
	// resolves after switch_root.
	if _, err := os.Lstat(filepath.Join(newRoot, cfg.Init)); err != nil {
		return cfg, fmt.Errorf("init %s on the root filesystem: %w", cfg.Init, err)
	}
	readAheadIn(newRoot, cfg.Init)
	if cfg.Debug {
		log("root mounted; switching root")
	}
	if err := switchRoot(); err != nil {
		return cfg, err
	}
	if cfg.Debug {
		log("executing %s", cfg.Init)
	}
	return cfg, nil
}

// mountEarly mounts the kernel filesystems stage 1 and stage 2 need.
func mountEarly() error {
	for _, m := range []struct {
		fstype, target, data string
		flags                uintptr
	}{
		{"proc", "/proc", "", unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC},
		{"sysfs", "/sys", "", unix.MS_NOSUID | unix.MS_NODEV | unix.MS_NOEXEC},
		{"devtmpfs", "/dev", "mode=0755", unix.MS_NOSUID},
		{"tmpfs", "/run", "mode=0755", unix.MS_NOSUID | unix.MS_NODEV},
	} {
		if err := os.MkdirAll(m.target, 0o755); err != nil {
			return fmt.Errorf("mkdir %s: %w", m.target, err)
		}
		err := unix.Mount(m.fstype, m.target, m.fstype, m.flags, m.data)
		if err != nil && !(errors.Is(err, unix.EBUSY) && m.fstype == "devtmpfs") {
			return fmt.Errorf("mount %s on %s: %w", m.fstype, m.target, err)
		}
	}
	return nil
}

// loadModules loads each configured module; failures are reported and
// skipped (the root may still be found without them).
func loadModules(cfg Config, log func(string, ...any)) {
	dir := filepath.Join("/lib/modules", cfg.KernelVersion)
	for _, m := range cfg.Modules {
		err := LoadModule(filepath.Join(dir, m))
		switch {
		case errors.Is(err, unix.ENODEV):
			// e.g. crc32c-intel on a CPU without SSE4.2: not for this machine
			if cfg.Debug {
				log("skipped %s: %v", m, err)
			}
		case err != nil:
			log("warning: %v", err)
		case cfg.Debug:
			log("loaded %s", m)
		}
	}
}

// LoadModule inserts one module with finit_module; a module already loaded
// (or built in) is not an error.
func LoadModule(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("load module: %w", err)
	}
	defer f.Close()
	err = unix.FinitModule(int(f.Fd()), "", 0)
	if err != nil && !errors.Is(err, unix.EEXIST) {
		return fmt.Errorf("load module %s: %w", path, err)
	}
	return nil
}

// mountRoot mounts dev on newRoot.
func mountRoot(cfg Config, dev string) error {
	if err := os.MkdirAll(newRoot, 0o755); err != nil {
		return err
	}
	flags, data := MountOptions(strings.Split(cfg.RootOptions, ","))
	if err := unix.Mount(dev, newRoot, cfg.FSType, flags, data); err != nil {
		return fmt.Errorf("mount %s (%s) on %s with %q: %w", dev, cfg.FSType, newRoot, cfg.RootOptions, err)
	}
	return nil
}

// bindStore makes the root's /nix/store a read-only bind mount of itself.
// A bind mount takes its flags only from a second, remounting call.
func bindStore(cfg Config) error {
	store := filepath.Join(newRoot, "nix/store")
	if err := unix.Mount(store, store, "", unix.MS_BIND, ""); err != nil {
		return fmt.Errorf("bind %s: %w", store, err)
	}
	flags, _ := MountOptions(cfg.StoreMountOptions)
	if err := unix.Mount("", store, "", unix.MS_BIND|unix.MS_REMOUNT|flags, ""); err != nil {
		return fmt.Errorf("remount %s %s: %w", store, strings.Join(cfg.StoreMountOptions, ","), err)
	}
	return nil
}

// switchRoot moves the early mounts into newRoot, deletes the initrd's
// files (they would pin memory forever) and makes newRoot the root.
func switchRoot() error {
	for _, m := range []string{"/dev", "/proc", "/sys", "/run"} {
		target := filepath.Join(newRoot, m)
		os.MkdirAll(target, 0o755)
		if err := unix.Mount(m, target, "", unix.MS_MOVE, ""); err != nil {
			return fmt.Errorf("move %s to %s: %w", m, target, err)
		}
	}
	var st unix.Stat_t
	if err := unix.Stat("/", &st); err != nil {
		return fmt.Errorf("stat /: %w", err)
	}
	removeTree("/", st.Dev)
	if err := unix.Chdir(newRoot); err != nil {
		return fmt.Errorf("chdir %s: %w", newRoot, err)
	}
	if err := unix.Mount(".", "/", "", unix.MS_MOVE, ""); err != nil {
		return fmt.Errorf("move %s to /: %w", newRoot, err)
	}
	if err := unix.Chroot("."); err != nil {
		return fmt.Errorf("chroot: %w", err)
	}
	return unix.Chdir("/")
}

// removeTree deletes dir's contents that live on device dev (the initramfs),
// leaving mount points of other filesystems alone.
func removeTree(dir string, dev uint64) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		var st unix.Stat_t
		if unix.Lstat(p, &st) != nil || st.Dev != dev {
			continue
		}
		if e.IsDir() {
			removeTree(p, dev)
			unix.Rmdir(p)
		} else {
			unix.Unlink(p)
		}
	}
}

// readAheadIn starts reading the file that p (a path inside root, which
// may be a chain of absolute symlinks) names into the page cache, so the
// next init's binary is not paged in 4 KiB at a time as it starts.
func readAheadIn(root, p string) {
	for range 40 {
		dest, err := os.Readlink(filepath.Join(root, p))
		if err != nil {
			break
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(p), dest)
		}
		p = dest
	}
	f, err := os.Open(filepath.Join(root, p))
	if err != nil {
		return
	}
	defer f.Close()
	unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_WILLNEED)
}

// execInit replaces stage 1 with the generation's init, argv[0] being its
// path (PID 1 finds its toplevel from it).
func execInit(init string) error {
	env := []string{"PATH=/run/current-system/sw/bin", "TERM=linux"}
	err := unix.Exec(init, []string{init}, env)
	return fmt.Errorf("exec %s: %w", init, err)
}

// MountOptions turns fstab-style options into mount flags and the
// remaining data string.
func MountOptions(opts []string) (uintptr, string) {
	var flags uintptr
	var data []string
	for _, o := range opts {
		switch o {
		case "", "rw", "defaults":
		case "ro":
			flags |= unix.MS_RDONLY
		case "nodev":
			flags |= unix.MS_NODEV
		case "nosuid":
			flags |= unix.MS_NOSUID
		case "noexec":
			flags |= unix.MS_NOEXEC
		case "noatime":
			flags |= unix.MS_NOATIME
		case "relatime":
			flags |= unix.MS_RELATIME
		case "sync":
			flags |= unix.MS_SYNCHRONOUS
		default:
			data = append(data, o)
		}
	}
	return flags, strings.Join(data, ",")
}
