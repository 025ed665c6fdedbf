package supervisor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Config configures a Supervisor.
type Config struct {
	Services []Spec
	// Target selects the services to start (default multi-user.target).
	Target string
	// LogDir holds <name>.log per service ("" keeps logs in memory only).
	LogDir string
	// LogFileMax is the size at which a log file is rotated (default 1 MiB).
	LogFileMax int64
	// RingLines is how many lines of output are kept in memory per service
	// (default 500).
	RingLines int
	// Console receives the supervisor's messages (nil: discarded).
	Console io.Writer
	// EchoOutput also copies every line services print to the console,
	// prefixed with the service's name.
	EchoOutput bool
	// Policy sets restart timing (zero: DefaultPolicy).
	Policy Policy
	// Reaper collects child exits (nil: DefaultReaper).
	Reaper *Reaper
}

// ErrUnknownService is returned for a name that is not a planned service.
var ErrUnknownService = errors.New("unknown service")

// Supervisor runs a plan of services. Its methods are safe for concurrent use.
type Supervisor struct {
	mu       sync.Mutex // guards services and byName, which Update replaces
	services []*service // in start order
	byName   map[string]*service
	updateMu sync.Mutex // one Update or Shutdown at a time
	cfg      Config
	policy   Policy
	reaper   *Reaper
	echo     bool

	consoleMu sync.Mutex
	console   io.Writer

	startOnce sync.Once
	settled   chan struct{}
}

// New plans the configured services; nothing runs before Start.
func New(cfg Config) (*Supervisor, error) {
	if cfg.Target == "" {
		cfg.Target = DefaultTarget
	}
	if cfg.Policy == (Policy{}) {
		cfg.Policy = DefaultPolicy()
	}
	if cfg.Reaper == nil {
		cfg.Reaper = DefaultReaper()
	}
	if cfg.RingLines <= 0 {
		cfg.RingLines = 500
	}
	if cfg.LogFileMax == 0 {
		cfg.LogFileMax = 1 << 20
	}
	if cfg.Console == nil {
		cfg.Console = io.Discard
	}
	plan, err := Plan(cfg.Services, cfg.Target)
	if err != nil {
		return nil, err
	}
	sup := &Supervisor{
		cfg:     cfg,
		byName:  map[string]*service{},
		policy:  cfg.Policy,
		reaper:  cfg.Reaper,
		echo:    cfg.EchoOutput,
		console: cfg.Console,
		settled: make(chan struct{}),
	}
	for _, spec := range plan {
		sup.add(spec, cfg)
	}
	return sup, nil
}

// add appends a service for spec to the plan; its dependencies must be
// there already. The caller holds mu (or owns sup alone).
func (sup *Supervisor) add(spec *Spec, cfg Config) *service {
	s := &service{
		spec:     spec,
		sup:      sup,
		required: map[string]bool{},
		ctl:      make(chan ctlReq),
		exited:   make(chan struct{}),
		logs:     newRing(cfg.RingLines),
		file:     openLogFile(cfg.LogDir, spec.Name, cfg.LogFileMax),
		settled:  make(chan struct{}),
		status:   Status{Name: spec.Name, Description: spec.Description, Type: spec.Type, State: StateWaiting},
	}
	for _, r := range spec.Requires {
		s.required[r] = true
	}
	for _, group := range [][]string{spec.After, spec.Requires} {
		for _, d := range group {
			if dep := sup.byName[d]; dep != nil && !contains(s.deps, dep) {
				s.deps = append(s.deps, dep)
			}
		}
	}
	sup.services = append(sup.services, s)
	sup.byName[spec.Name] = s
	return s
}

// list returns the planned services in start order.
func (sup *Supervisor) list() []*service {
	sup.mu.Lock()
	defer sup.mu.Unlock()
	return append([]*service(nil), sup.services...)
}

func contains(list []*service, s *service) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// logf writes one line to the console.
func (sup *Supervisor) logf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	sup.consoleMu.Lock()
	defer sup.consoleMu.Unlock()
	io.WriteString(sup.console, msg)
}

// Start starts every planned service (each waits for its dependencies) and
// announces, once all have settled, "frazil: all services ready (…s)".
func (sup *Supervisor) Start() {
	sup.startOnce.Do(func() {
		for _, s := range sup.list() {
			go s.run()
		}
		go sup.announce()
	})
}

func (sup *Supervisor) announce() {
	defer recoverTo(sup.logf, "announce")
	var failed []string
	for _, s := range sup.list() {
		<-s.settled
		if !s.isReady() {
			failed = append(failed, s.spec.Name)
		}
	}
	if len(failed) == 0 {
		sup.logf("frazil: all services ready (%.3fs)", Monotonic().Seconds())
	} else {
		sup.logf("frazil: services settled (%.3fs); failed: %s", Monotonic().Seconds(), strings.Join(failed, ", "))
	}
	close(sup.settled)
}

// Settled is closed once every planned service is ready or has failed for
// good (after the announcement is printed).
func (sup *Supervisor) Settled() <-chan struct{} { return sup.settled }

// Monotonic returns CLOCK_MONOTONIC: the time since boot, as in the kernel log.
func Monotonic() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// Status returns every planned service's status, in start order.
func (sup *Supervisor) Status() []Status {
	services := sup.list()
	out := make([]Status, 0, len(services))
	for _, s := range services {
		out = append(out, s.snapshot())
	}
	return out
}

func (sup *Supervisor) lookup(name string) (*service, error) {
	sup.mu.Lock()
	s := sup.byName[name]
	sup.mu.Unlock()
	if s == nil {
		return nil, fmt.Errorf("service %q: %w", name, ErrUnknownService)
	}
	return s, nil
}

// StartService starts a stopped, failed or backing-off service now.
func (sup *Supervisor) StartService(name string) error { return sup.control(name, opStart) }

// StopService stops a service (SIGTERM, then SIGKILL) and keeps it stopped.
func (sup *Supervisor) StopService(name string) error { return sup.control(name, opStop) }

// RestartService stops the service if it runs and starts it again,
// forgetting its failures.
func (sup *Supervisor) RestartService(name string) error { return sup.control(name, opRestart) }

func (sup *Supervisor) control(name string, op ctlOp) error {
	s, err := sup.lookup(name)
	if err != nil {
		return err
	}
	s.request(op)
	return nil
}

// Shutdown stops every service in reverse start order, each with SIGTERM
// and SIGKILL after the policy's stop timeout, and returns when all have
// stopped.
func (sup *Supervisor) Shutdown() {
	sup.Start() // services never started still need their goroutines to end
	sup.updateMu.Lock()
	defer sup.updateMu.Unlock()
	services := sup.list()
	for i := len(services) - 1; i >= 0; i-- {
		services[i].stop()
	}
}

// stop ends the service's goroutine (stopping its process) and closes
// its log file.
func (s *service) stop() {
	s.request(opShutdown)
	<-s.exited
	s.file.close()
}

// Logs returns up to n of the newest lines of a service's output (all the
// ring holds when n <= 0).
func (sup *Supervisor) Logs(name string, n int) ([]string, error) {
	s, err := sup.lookup(name)
	if err != nil {
		return nil, err
	}
	lines, _, _ := s.logs.last(n)
	return lines, nil
}

// Follow calls emit with up to n of the newest lines, then with every new
// line, until ctx is done or emit fails.
func (sup *Supervisor) Follow(ctx context.Context, name string, n int, emit func(string) error) error {
	s, err := sup.lookup(name)
	if err != nil {
		return err
	}
	lines, seq, wake := s.logs.last(n)
	for {
		for _, l := range lines {
			if err := emit(l); err != nil {
				return err
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-wake:
		}
		lines, seq, wake = s.logs.since(seq)
	}
}
