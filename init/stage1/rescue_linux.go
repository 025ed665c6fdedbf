package stage1

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// rescue is a tiny prompt for when stage 1 fails: enough to look around
// (ls, cat, mounts, blkid), mount a filesystem, load a module, retry or
// reboot. It returns when input ends or on "reboot" failing.
func rescue(in io.Reader, out io.Writer, cfg Config) {
	sc := bufio.NewScanner(in)
	for {
		fmt.Fprint(out, "frazil-rescue> ")
		if !sc.Scan() {
			return
		}
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if err := rescueCommand(out, f, cfg); err != nil {
			fmt.Fprintf(out, "%s: %v\n", f[0], err)
		}
	}
}

func rescueCommand(out io.Writer, f []string, cfg Config) error {
	switch f[0] {
	case "help":
		fmt.Fprintln(out, "commands: ls [DIR], cat FILE, mounts, blkid, mount DEV DIR [TYPE [OPTS]], insmod FILE, retry, reboot, poweroff")
	case "ls":
		dir := "."
		if len(f) > 1 {
			dir = f[1]
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			fmt.Fprintln(out, e.Name())
		}
	case "cat":
		if len(f) < 2 {
			return fmt.Errorf("usage: cat FILE")
		}
		data, err := os.ReadFile(f[1])
		if err != nil {
			return err
		}
		out.Write(data)
	case "mounts":
		data, err := os.ReadFile("/proc/mounts")
		if err != nil {
			return err
		}
		out.Write(data)
	case "blkid":
		for _, d := range describeBlockDevices() {
			fmt.Fprintln(out, d)
		}
	case "mount":
		return rescueMount(f)
	case "insmod":
		if len(f) < 2 {
			return fmt.Errorf("usage: insmod FILE")
		}
		return LoadModule(f[1])
	case "retry":
		c, err := boot(&logger{w: out})
		if err != nil {
			return err
		}
		return execInit(c.Init)
	case "reboot", "poweroff":
		unix.Sync()
		cmd := unix.LINUX_REBOOT_CMD_RESTART
		if f[0] == "poweroff" {
			cmd = unix.LINUX_REBOOT_CMD_POWER_OFF
		}
		time.Sleep(100 * time.Millisecond)
		return unix.Reboot(cmd)
	default:
		return fmt.Errorf("unknown command (try help)")
	}
	return nil
}

func rescueMount(f []string) error {
	if len(f) < 3 {
		return fmt.Errorf("usage: mount DEV DIR [TYPE [OPTS]]")
	}
	fstype, opts := "ext4", ""
	if len(f) > 3 {
		fstype = f[3]
	}
	if len(f) > 4 {
		opts = f[4]
	}
	flags, data := MountOptions(strings.Split(opts, ","))
	os.MkdirAll(f[2], 0o755)
	return unix.Mount(f[1], f[2], fstype, flags, data)
}
