package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// mountRoot loads the modules shipped in /modules (in the order of
// /modules/order), waits for /dev/vda3, mounts it read-only as ext4 and
// prints the store's entries and the profile links.
func mountRoot() {
	order, _ := os.ReadFile("/modules/order")
	for _, m := range strings.Fields(string(order)) {
		f, err := os.Open(filepath.Join("/modules", m))
		if err != nil {
			fmt.Println("FRAZIL-TESTINIT module", m, err)
			continue
		}
		if err := unix.FinitModule(int(f.Fd()), "", 0); err != nil && err != unix.EEXIST {
			fmt.Println("FRAZIL-TESTINIT module", m, err)
		}
		f.Close()
	}
	os.MkdirAll("/dev", 0o755)
	syscall.Mount("devtmpfs", "/dev", "devtmpfs", 0, "")
	for i := 0; i < 100; i++ {
		if _, err := os.Stat("/dev/vda3"); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	os.MkdirAll("/root", 0o755)
	if err := syscall.Mount("/dev/vda3", "/root", "ext4", syscall.MS_RDONLY, ""); err != nil {
		fmt.Println("FRAZIL-TESTINIT mount failed:", err)
		return
	}
	ents, _ := os.ReadDir("/root/nix/store")
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	fmt.Printf("FRAZIL-TESTINIT store=[%s]\n", strings.Join(names, " "))
	prof, _ := os.Readlink("/root/nix/var/nix/profiles/system")
	fmt.Printf("FRAZIL-TESTINIT profile=[%s]\n", prof)
	syscall.Unmount("/root", 0)
}
