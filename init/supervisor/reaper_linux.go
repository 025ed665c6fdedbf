package supervisor

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Exit is how a child process ended.
type Exit struct {
	PID    int
	Status syscall.WaitStatus
	Time   time.Time
}

// Success reports whether the process exited with status 0.
func (e Exit) Success() bool { return e.Status.Exited() && e.Status.ExitStatus() == 0 }

// String describes the exit: "exited with status 1", "killed by signal terminated".
func (e Exit) String() string {
	switch {
	case e.Status.Exited():
		return fmt.Sprintf("exited with status %d", e.Status.ExitStatus())
	case e.Status.Signaled():
		return fmt.Sprintf("killed by signal %v", e.Status.Signal())
	}
	return fmt.Sprintf("ended with wait status %#x", uint32(e.Status))
}

// A Reaper collects the exit of every child of the process with wait4(-1)
// and hands it to whoever started that child. Children nobody registered
// (orphans re-parented to PID 1) are reaped and reported to Orphan.
//
// Only one Reaper may run in a process, and the process must start every
// child through it: a child waited for elsewhere (exec.Cmd.Wait) may have its
// status taken by the reaper first.
type Reaper struct {
	mu      sync.Mutex
	waiters map[int]chan Exit
	// Orphan is called (without locks held) for each reaped child that was
	// not started through the reaper. It may be nil.
	Orphan func(Exit)
}

var (
	defaultReaper     *Reaper
	defaultReaperOnce sync.Once
)

// DefaultReaper returns the process's reaper, starting it on first use.
func DefaultReaper() *Reaper {
	defaultReaperOnce.Do(func() {
		defaultReaper = &Reaper{waiters: map[int]chan Exit{}}
		go defaultReaper.loop()
	})
	return defaultReaper
}

func (r *Reaper) loop() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGCHLD)
	tick := time.NewTicker(5 * time.Second) // belt and braces: a lost wakeup never strands a zombie
	defer tick.Stop()
	for {
		r.reapAll()
		select {
		case <-ch:
		case <-tick.C:
		}
	}
}

// reapAll collects every exited child. The lock is held while waiting so
// that Start's fork and registration are atomic with respect to reaping.
func (r *Reaper) reapAll() {
	defer recoverTo(nil, "reaper")
	var orphans []Exit
	r.mu.Lock()
	for {
		var ws unix.WaitStatus
		pid, err := unix.Wait4(-1, &ws, unix.WNOHANG, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil || pid <= 0 {
			break
		}
		e := Exit{PID: pid, Status: syscall.WaitStatus(ws), Time: time.Now()}
		if w, ok := r.waiters[pid]; ok {
			delete(r.waiters, pid)
			w <- e // buffered, never blocks
			continue
		}
		orphans = append(orphans, e)
	}
	r.mu.Unlock()
	if r.Orphan != nil {
		for _, e := range orphans {
			r.Orphan(e)
		}
	}
}

// Start starts cmd and returns its pid and a channel that receives its exit.
// cmd must not be waited for with Wait; its Process is released once it has
// exited (so read the pid from the result, not from cmd.Process).
func (r *Reaper) Start(cmd *exec.Cmd) (int, <-chan Exit, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := cmd.Start(); err != nil {
		return 0, nil, err
	}
	pid := cmd.Process.Pid
	ch := make(chan Exit, 1)
	r.waiters[pid] = ch
	out := make(chan Exit, 1)
	go func() {
		e := <-ch
		cmd.Process.Release()
		out <- e
	}()
	return pid, out, nil
}
