package pid1

import (
	"os"
	"strconv"
	"time"

	"github.com/frazil/frazil/init/supervisor"
	"golang.org/x/sys/unix"
)

// shutdown stops everything and reboots, halts or powers off. It never
// returns.
func (s *system) shutdown(action string) {
	defer func() {
		recover()
		for {
			time.Sleep(time.Hour)
		}
	}()
	s.logf("%s: stopping services", action)
	if sup := s.sup.Load(); sup != nil {
		sup.Shutdown()
	}
	s.logf("%s: terminating remaining processes", action)
	killAll()
	if err := saveRandomSeed(); err != nil {
		s.logf("%s: %v", action, err)
	}
	unix.Sync()
	s.unmountAll()
	unix.Sync()
	// uint32: LINUX_REBOOT_CMD_HALT does not fit a 32-bit int (i686); the
	// kernel reads the command as an unsigned 32-bit value.
	cmd := map[string]uint32{"reboot": unix.LINUX_REBOOT_CMD_RESTART, "halt": unix.LINUX_REBOOT_CMD_HALT, "poweroff": unix.LINUX_REBOOT_CMD_POWER_OFF}[action]
	s.logf("%s (%.3fs)", action, supervisor.Monotonic().Seconds())
	if err := unix.Reboot(int(int32(cmd))); err != nil {
		s.logf("%s failed: %v", action, err)
	}
}

// killAll sends SIGTERM to every other process, waits up to 3 s for them
// to go, then SIGKILLs the rest. kill(-1) spares PID 1 itself.
func killAll() {
	if len(userProcesses()) == 0 {
		return
	}
	unix.Kill(-1, unix.SIGTERM)
	unix.Kill(-1, unix.SIGCONT)
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if len(userProcesses()) == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	unix.Kill(-1, unix.SIGKILL)
	time.Sleep(100 * time.Millisecond)
}

// userProcesses lists the pids of processes other than PID 1 that are not
// kernel threads (which have an empty command line and ignore signals).
// Zombies count until the reaper collects them.
func userProcesses() []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == 1 {
			continue
		}
		if cmd, err := os.ReadFile("/proc/" + e.Name() + "/cmdline"); err == nil && len(cmd) > 0 {
			pids = append(pids, pid)
		}
	}
	return pids
}
