package pid1

import (
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
	unix.Sync()
	s.unmountAll()
	unix.Sync()
	cmd := map[string]int{"reboot": unix.LINUX_REBOOT_CMD_RESTART, "halt": unix.LINUX_REBOOT_CMD_HALT, "poweroff": unix.LINUX_REBOOT_CMD_POWER_OFF}[action]
	s.logf("%s (%.3fs)", action, supervisor.Monotonic().Seconds())
	if err := unix.Reboot(cmd); err != nil {
		s.logf("%s failed: %v", action, err)
	}
}

// killAll sends SIGTERM to every other process, waits up to 3 s for them
// to go, then SIGKILLs the rest. kill(-1) spares PID 1 itself.
func killAll() {
	unix.Kill(-1, unix.SIGTERM)
	unix.Kill(-1, unix.SIGCONT)
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		if unix.Kill(-1, 0) == unix.ESRCH {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	unix.Kill(-1, unix.SIGKILL)
	time.Sleep(100 * time.Millisecond)
}
