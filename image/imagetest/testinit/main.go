// Command testinit is the /init of the test initrds: it prints the kernel
// command line between markers (so a test sees which generation booted),
// optionally lists what the root file system holds, and powers off.
package main

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"
)

func main() {
	os.MkdirAll("/proc", 0o755)
	syscall.Mount("proc", "/proc", "proc", 0, "")
	cmdline, _ := os.ReadFile("/proc/cmdline")
	fmt.Printf("\nFRAZIL-TESTINIT cmdline=[%s]\n", strings.TrimSpace(string(cmdline)))
	if strings.Contains(string(cmdline), "testinit.mountroot") {
		mountRoot()
	}
	fmt.Println("FRAZIL-TESTINIT powering off")
	syscall.Sync()
	syscall.Reboot(syscall.LINUX_REBOOT_CMD_POWER_OFF)
	for {
		time.Sleep(time.Hour) // not select{}: the runtime would call that a deadlock and exit
	}
}
