package stage1

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// FindRoot waits up to timeout for the block device that spec names
// (LABEL=…, UUID=… or /dev/…) and returns its /dev path. It scans
// /sys/class/block and reads the ext2/3/4 superblocks and FAT boot sectors
// itself: no blkid, no udev. PID 1 finds other fileSystems with it too.
func FindRoot(spec string, timeout time.Duration, log func(string, ...any)) (string, error) {
	deadline := time.Now().Add(timeout)
	announced := false
	for {
		dev, err := findOnce(spec)
		if err == nil {
			return dev, nil
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("root device %s not found after %v; block devices: %s",
				spec, timeout, strings.Join(describeBlockDevices(), ", "))
		}
		if !announced && log != nil {
			log("waiting up to %v for %s", timeout, spec)
			announced = true
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// findOnce looks for the root device among the block devices present now.
func findOnce(spec string) (string, error) {
	if strings.HasPrefix(spec, "/dev/") {
		if _, err := os.Stat(spec); err != nil {
			return "", err
		}
		return spec, nil
	}
	if !strings.HasPrefix(spec, "LABEL=") && !strings.HasPrefix(spec, "UUID=") {
		return "", fmt.Errorf("root=%s: want LABEL=, UUID= or /dev/…", spec)
	}
	for _, name := range blockDevices() {
		id, err := readFSID("/dev/" + name)
		if err == nil && id.Matches(spec) {
			return "/dev/" + name, nil
		}
	}
	return "", fmt.Errorf("%s not present", spec)
}

func blockDevices() []string {
	entries, err := os.ReadDir("/sys/class/block")
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// readFSID identifies the ext2/3/4 or FAT filesystem on dev.
func readFSID(dev string) (FSID, error) {
	f, err := os.Open(dev)
	if err != nil {
		return FSID{}, err
	}
	defer f.Close()
	head := make([]byte, superblockOffset+superblockSize)
	if _, err := f.ReadAt(head, 0); err != nil {
		return FSID{}, err
	}
	id, err := ParseExtSuperblock(head[superblockOffset:])
	if err == errNotExt {
		return ParseFATBootSector(head[:fatBootSize])
	}
	return id, err
}

// describeBlockDevices lists what is there, for the error message.
func describeBlockDevices() []string {
	var out []string
	for _, name := range blockDevices() {
		d := name
		if id, err := readFSID("/dev/" + name); err == nil {
			d += fmt.Sprintf(" (LABEL=%s UUID=%s)", id.Label, id.UUID)
		}
		if size, err := os.ReadFile(filepath.Join("/sys/class/block", name, "size")); err == nil {
			d += " " + strings.TrimSpace(string(size)) + " sectors"
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		out = []string{"none (is the disk driver module in the initrd?)"}
	}
	return out
}

// DetectType names the filesystem type on dev for mount(2): "ext4" for
// ext2/3/4 (the ext4 driver mounts all three), "vfat" for FAT.
func DetectType(dev string) (string, error) {
	id, err := readFSID(dev)
	if err != nil {
		return "", fmt.Errorf("filesystem type of %s: %w", dev, err)
	}
	return id.Type, nil
}
