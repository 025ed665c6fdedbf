// Package pid1 is Frazil's stage 2: the init of a booted generation.
//
// Stage 1 executes <toplevel>/init with argv[0] set to that path, so PID 1
// knows its generation as dirname(argv[0]) (systemConfig= on the kernel
// command line overrides it). Boot is a list of steps, each either fatal or
// best-effort (a best-effort failure is printed and boot goes on):
//
//	mounts      /proc /sys /dev /run (when stage 1 did not), /dev/pts, /dev/shm
//	store       /nix/store read-only (when stage 1 did not)
//	random      credit /var/lib/frazil/random-seed to the kernel and renew it
//	load        activation.json
//	background  starts, each in its own goroutine:
//	              control   the control socket /run/frazil/control.sock (package init/control)
//	              modules   activation.json's kernelModules, from <toplevel>/kernel-modules,
//	              then powerbutton (watch the ACPI power button's input device),
//	              then network: loopback, static addresses and routes, resolv.conf
//	              (after activation); DHCP clients keep running in the background
//	filesystems activation.json's fileSystems (e.g. the ESP on /boot), after
//	            loading the modules their types need
//	activate    package init/activation (/etc, users, /bin/sh, /run/current-system…)
//	hostname    sethostname
//	services    the supervisor, with services.json (package init/supervisor)
//
// Then PID 1 waits for signals and power requests: SIGINT (ctrl-alt-del,
// which the kernel turns into a signal once PID 1 disables CAD) and SIGTERM
// reboot, SIGUSR1 halts, SIGUSR2 powers off, as do the control socket's
// system actions and the ACPI power button. Shutdown stops services in
// reverse order, terminates what is left, syncs, unmounts and reboots or
// powers off. PID 1 never returns and recovers from panics in every
// goroutine it starts.
package pid1

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/frazil/frazil/init/activation"
	"github.com/frazil/frazil/init/control"
	"github.com/frazil/frazil/init/stage1"
	"github.com/frazil/frazil/init/supervisor"
	"golang.org/x/sys/unix"
)

// system is PID 1's state.
type system struct {
	console   io.Writer
	mu        sync.Mutex // serialises console writes
	toplevel  string
	cmdline   map[string]string
	data      *activation.Data
	sup       atomic.Pointer[supervisor.Supervisor]
	power     chan string   // "poweroff", "reboot", "halt"
	activated chan struct{} // closed when activation has finished
	debug     bool
	switchMu  sync.Mutex // one switch at a time
}

// step is one part of boot.
type step struct {
	name  string
	fatal bool
	run   func(*system) error
}

// bootSteps run in order; each of the background chains runs in its own
// goroutine once bootSteps reach "load" (they need activation.json), so the
// network and the control socket never delay the services.
var (
	bootSteps = []step{
		{"mounts", true, (*system).mountSpecial},
		{"store", false, (*system).storeReadOnly},
		{"random", false, (*system).loadRandomSeed},
		{"load", false, (*system).loadActivation},
		{"background", false, (*system).startBackground},
		{"filesystems", false, (*system).mountFileSystems},
		{"activate", false, (*system).activate},
		{"hostname", false, (*system).setHostname},
		{"services", false, (*system).startServices},
	}
	backgroundChains = [][]step{
		{{"control", false, (*system).startControl}},
		{{"modules", false, (*system).loadModules}, {"powerbutton", false, (*system).watchPowerButton}, {"network", false, (*system).network}},
	}
)

// Main is PID 1. It never returns. Run as any other process it refuses
// to start (it would rewrite /etc/passwd, mount over /run and kill every
// process on shutdown) and exits with status 1.
func Main() {
	if err := checkPID1(os.Getpid()); err != nil {
		fmt.Fprintf(os.Stderr, "frazil-init: %v\n", err)
		os.Exit(1)
	}
	s := &system{console: os.Stdout, power: make(chan string, 1), activated: make(chan struct{})}
	for {
		func() {
			defer s.recover("main loop")
			s.run()
		}()
		time.Sleep(time.Second) // only after a recovered panic
	}
}

func (s *system) logf(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fmt.Fprintf(s.console, "frazil: "+format+"\n", args...)
}

// recover reports a panic instead of letting it kill PID 1 (and the machine).
func (s *system) recover(what string) {
	if r := recover(); r != nil {
		s.logf("internal error in %s: %v\n%s", what, r, debug.Stack())
	}
}

// goSafe runs f in a goroutine that survives panics.
func (s *system) goSafe(what string, f func()) {
	go func() {
		defer s.recover(what)
		f()
	}()
}

var booted bool

// run boots once, then handles power events forever.
func (s *system) run() {
	if !booted {
		booted = true
		s.boot()
	}
	s.waitForPower()
}

func (s *system) boot() {
	readAhead("/proc/self/exe")
	signal.Ignore(syscall.SIGHUP, syscall.SIGPIPE)
	unix.Reboot(unix.LINUX_REBOOT_CMD_CAD_OFF) // ctrl-alt-del becomes SIGINT
	s.cmdline = readCmdline()
	_, s.debug = s.cmdline["frazil.debug"]
	s.toplevel = findToplevel(os.Args[0], s.cmdline)
	s.logf("stage 2 of %s (%.3fs)", s.toplevel, supervisor.Monotonic().Seconds())
	s.runSteps(bootSteps)
}

// runSteps runs steps in order; a fatal failure reboots after a delay.
func (s *system) runSteps(steps []step) {
	for _, st := range steps {
		begin := time.Now()
		err := st.run(s)
		if s.debug {
			s.logf("step %s took %v", st.name, time.Since(begin).Round(time.Microsecond))
		}
		if err == nil {
			continue
		}
		if st.fatal {
			s.logf("boot step %s failed: %v; cannot continue, rebooting in 30s", st.name, err)
			time.Sleep(30 * time.Second)
			s.shutdown("reboot")
		}
		s.logf("boot step %s failed (continuing): %v", st.name, err)
	}
}

// startBackground starts the background chains, each on its own thread
// at a lower priority (nice 10): on a single CPU, loading kernel modules
// would otherwise delay activation and the services' start.
func (s *system) startBackground() error {
	for _, chain := range backgroundChains {
		s.goSafe("boot "+chain[0].name, func() {
			runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
			unix.Setpriority(unix.PRIO_PROCESS, unix.Gettid(), 10)
			s.runSteps(chain)
		})
	}
	return nil
}

func readCmdline() map[string]string {
	data, err := os.ReadFile("/proc/cmdline")
	if err != nil {
		return map[string]string{}
	}
	return stage1.ParseCmdline(string(data))
}

// findToplevel is systemConfig= if given, else the directory of argv[0]
// (resolved when argv[0] is /run/current-system/init or similar).
func findToplevel(argv0 string, cmdline map[string]string) string {
	if v := cmdline["systemConfig"]; v != "" {
		return v
	}
	dir := filepath.Dir(argv0)
	if !strings.HasPrefix(dir, "/nix/store/") {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			dir = r
		}
	}
	return dir
}

func (s *system) loadActivation() error {
	d, err := activation.Load(filepath.Join(s.toplevel, "activation.json"))
	if err != nil {
		s.data = &activation.Data{}
		return err
	}
	s.data = d
	return nil
}

func (s *system) activate() error {
	defer close(s.activated)
	err := activation.Activate(activation.Options{
		Root: "/", Toplevel: s.toplevel, Booting: true, Data: s.data, Debug: s.debug,
		Logf: func(f string, a ...any) { s.logf(f, a...) },
	})
	s.goSafe("activation sync", func() {
		if err := activation.Sync("/"); err != nil {
			s.logf("activation sync: %v", err)
		}
	})
	return err
}

func (s *system) setHostname() error {
	if s.data.HostName == "" {
		return nil
	}
	return unix.Sethostname([]byte(s.data.HostName))
}

func (s *system) startControl() error {
	l, err := control.Listen(control.SocketPath)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: control.Handler(backend{s}), ReadHeaderTimeout: 10 * time.Second}
	s.goSafe("control socket", func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.logf("control socket stopped: %v", err)
		}
	})
	return nil
}

func (s *system) startServices() error {
	specs, err := supervisor.Load(filepath.Join(s.toplevel, "services.json"))
	if err != nil {
		specs = nil // still announce readiness of nothing
	}
	_, echo := s.cmdline["frazil.quiet"]
	sup, perr := supervisor.New(supervisor.Config{
		Services:   specs,
		LogDir:     "/var/log",
		Console:    consoleWriter{s},
		EchoOutput: !echo,
	})
	if perr != nil {
		sup, _ = supervisor.New(supervisor.Config{Console: consoleWriter{s}})
		err = errors.Join(err, perr)
	}
	supervisor.DefaultReaper().Orphan = func(e supervisor.Exit) {
		if s.debug {
			s.logf("reaped orphan %d (%s)", e.PID, e)
		}
	}
	s.sup.Store(sup)
	sup.Start()
	return err
}

// consoleWriter serialises the supervisor's lines with PID 1's own.
type consoleWriter struct{ s *system }

func (c consoleWriter) Write(p []byte) (int, error) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return c.s.console.Write(p)
}

// waitForPower handles signals and power requests, then shuts down.
func (s *system) waitForPower() {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGUSR1, syscall.SIGUSR2)
	for {
		select {
		case sig := <-sigs:
			action := map[os.Signal]string{syscall.SIGINT: "reboot", syscall.SIGTERM: "reboot", syscall.SIGUSR1: "halt", syscall.SIGUSR2: "poweroff"}[sig]
			s.logf("received %v: %s", sig, action)
			s.shutdown(action)
		case action := <-s.power:
			s.shutdown(action)
		}
	}
}

// requestPower asks the main loop to shut down.
func (s *system) requestPower(action string) error {
	switch action {
	case "poweroff", "reboot", "halt":
	default:
		return fmt.Errorf("unknown power action %q (want poweroff, reboot or halt)", action)
	}
	select {
	case s.power <- action:
	default: // one is already pending
	}
	return nil
}

// backend adapts the system to the control API.
type backend struct{ s *system }

func (b backend) sup() *supervisor.Supervisor { return b.s.sup.Load() }
func (b backend) Status() []supervisor.Status {
	if b.sup() == nil {
		return nil
	}
	return b.sup().Status()
}
func (b backend) Logs(n string, k int) ([]string, error) { return b.supOrErr().Logs(n, k) }
func (b backend) Follow(ctx context.Context, n string, k int, emit func(string) error) error {
	return b.supOrErr().Follow(ctx, n, k, emit)
}
func (b backend) StartService(n string) error   { return b.supOrErr().StartService(n) }
func (b backend) StopService(n string) error    { return b.supOrErr().StopService(n) }
func (b backend) RestartService(n string) error { return b.supOrErr().RestartService(n) }
func (b backend) Power(a string) error          { return b.s.requestPower(a) }
func (b backend) Switch(top string) (supervisor.Changes, error) {
	return b.s.switchTo(top)
}

// supOrErr returns the supervisor, or an empty one before services start.
func (b backend) supOrErr() *supervisor.Supervisor {
	if s := b.sup(); s != nil {
		return s
	}
	empty, _ := supervisor.New(supervisor.Config{})
	return empty
}

// readAhead asks the kernel to read a whole file into the page cache in
// the background: PID 1's own binary is otherwise paged in 4 KiB at a time
// as each boot step first touches its code, which is slow on slow disks.
func readAhead(path string) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_WILLNEED)
}

// checkPID1 refuses any pid but 1.
func checkPID1(pid int) error {
	if pid != 1 {
		return fmt.Errorf("running as pid %d: frazil-init is the kernel's init (pid 1) of a Frazil machine and does nothing elsewhere", pid)
	}
	return nil
}
