// Command trivial is the baseline init for the boot-time comparison: the
// same kernel runs it as the initrd's /init; it prints the monotonic time
// and powers off.
package main

import (
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

func main() {
	var ts unix.Timespec
	unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	f, err := os.OpenFile("/dev/console", os.O_WRONLY, 0)
	if err != nil {
		f = os.Stdout
	}
	fmt.Fprintf(f, "trivial init ready (%.3fs)\n", float64(ts.Nano())/1e9)
	unix.Reboot(unix.LINUX_REBOOT_CMD_POWER_OFF)
	for {
		time.Sleep(time.Hour) // not select{}: the runtime would call that a deadlock and exit
	}
}
