package supervisor

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"syscall"
	"time"
)

// State is where a service is in its life.
type State string

// The states of a service (see the package doc).
const (
	StateWaiting      State = "waiting"  // for the services it comes after
	StateStarting     State = "starting" // preStart running, or not yet READY=1
	StateRunning      State = "running"
	StateExited       State = "exited" // ended and not restarted: a oneshot's success
	StateFailed       State = "failed"
	StateBackoff      State = "backoff"
	StateCrashLooping State = "crash-looping"
	StateStopping     State = "stopping"
	StateStopped      State = "stopped"
)

// Status is a snapshot of one service.
type Status struct {
	Name        string    `json:"name"`
	Description string    `json:"description,omitempty"`
	Type        string    `json:"type"`
	State       State     `json:"state"`
	PID         int       `json:"pid,omitempty"`
	Restarts    int       `json:"restarts"`
	StartedAt   time.Time `json:"startedAt,omitzero"`
	NextStart   time.Time `json:"nextStart,omitzero"`
	LastExit    string    `json:"lastExit,omitempty"`
	Error       string    `json:"error,omitempty"`
}

// ctlOp is a request to a service's goroutine.
type ctlOp int

const (
	opNone ctlOp = iota
	opStart
	opStop
	opRestart
	opShutdown
)

type ctlReq struct {
	op   ctlOp
	done chan struct{}
}

// errShutdown ends a service's goroutine.
var errShutdown = errors.New("shutting down")

// service is one planned service and the goroutine that runs it.
type service struct {
	spec     *Spec
	sup      *Supervisor
	deps     []*service // started after these
	required map[string]bool
	ctl      chan ctlReq
	exited   chan struct{} // closed when the goroutine returns
	logs     *ring
	file     *logFile

	mu      sync.Mutex
	status  Status
	ready   bool          // became ready at least once
	settled chan struct{} // closed at the first outcome: ready, or failed for good
	bo      backoff
}

// proc is one running child of a service.
type proc struct {
	pid   int
	exit  <-chan Exit
	ready <-chan struct{} // notify-ready only; closed at READY=1
	logs  chan struct{}   // closed when its output has been drained
}

func (s *service) logf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.logs.add("frazil: " + msg)
	s.file.writeLine("frazil: " + msg)
	s.sup.logf("frazil: %s: %s", s.spec.Name, msg)
}

func (s *service) update(f func(st *Status)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.status)
}

func (s *service) setState(st State) { s.update(func(x *Status) { x.State = st }) }

// settle records the service's first outcome.
func (s *service) settle(ready bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ready {
		s.ready = true
	}
	select {
	case <-s.settled:
	default:
		close(s.settled)
	}
}

func (s *service) isReady() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ready
}

// run is the service's goroutine.
func (s *service) run() {
	defer close(s.exited)
	defer recoverTo(s.sup.logf, "service "+s.spec.Name)
	wait := time.Duration(0)
	if err := s.waitDeps(); err != nil {
		if errors.Is(err, errShutdown) {
			s.setState(StateStopped)
			return
		}
		s.update(func(x *Status) { x.State, x.Error = StateFailed, err.Error() })
		s.logf("not started: %v", err)
		s.settle(false)
		wait = -1
	}
	s.loop(wait)
}

// waitDeps waits until every service s comes after has settled. A required
// service that failed fails s.
func (s *service) waitDeps() error {
	s.setState(StateWaiting)
	for _, d := range s.deps {
		for waiting := true; waiting; {
			select {
			case <-d.settled:
				waiting = false
			case r := <-s.ctl:
				close(r.done)
				if r.op == opShutdown {
					return errShutdown
				}
			}
		}
		if s.required[d.spec.Name] && !d.isReady() {
			return fmt.Errorf("required service %s failed", d.spec.Name)
		}
	}
	return nil
}

// loop alternates between idling (backoff, stopped, finished) and running
// the service until shutdown. wait is the first idle time: 0 starts at once,
// a negative wait idles until a start request.
func (s *service) loop(wait time.Duration) {
	for {
		op := s.idle(wait)
		if op == opShutdown {
			return
		}
		if op == opRestart || op == opStart {
			s.bo.reset()
		}
		exit, err, op := s.active()
		switch op {
		case opShutdown:
			s.setState(StateStopped)
			return
		case opStop:
			s.setState(StateStopped)
			wait = -1
			continue
		case opRestart:
			wait = 0
			continue
		}
		wait = s.afterExit(exit, err)
	}
}

// idle waits for wait (forever when negative) or a control request, and
// returns the operation that ends the wait: opNone when the time is up.
func (s *service) idle(wait time.Duration) ctlOp {
	if wait == 0 {
		return opNone
	}
	var timer <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timer = t.C
	}
	for {
		select {
		case <-timer:
			return opNone
		case r := <-s.ctl:
			close(r.done)
			switch r.op {
			case opStart, opRestart, opShutdown:
				return r.op
			case opStop:
				timer = nil
				s.update(func(x *Status) { x.State, x.NextStart = StateStopped, time.Time{} })
			}
		}
	}
}

// active runs preStart and the service's process until it exits or a
// control request stops it (then op says which).
func (s *service) active() (exit Exit, err error, op ctlOp) {
	s.update(func(x *Status) { x.State, x.NextStart, x.Error = StateStarting, time.Time{}, "" })
	id, err := lookupIdentity(s.spec)
	if err != nil {
		return Exit{}, err, opNone
	}
	for _, argv := range s.spec.PreStart {
		p, err := s.spawn(id, argv, false)
		if err != nil {
			return Exit{}, fmt.Errorf("preStart %s: %w", argv[0], err), opNone
		}
		e, op := s.wait(p)
		if op != opNone {
			return e, nil, op
		}
		if !e.Success() {
			return e, fmt.Errorf("preStart %s %s", argv[0], e), opNone
		}
	}
	var p *proc
	if s.spec.TTY != "" {
		p, err = s.spawnTTY(id)
	} else {
		p, err = s.spawn(id, s.spec.Exec, s.spec.Type == TypeNotifyReady)
	}
	if err != nil {
		return Exit{}, err, opNone
	}
	now := time.Now()
	s.update(func(x *Status) { x.PID, x.StartedAt = p.pid, now })
	s.logf("started (pid %d)", p.pid)
	if s.spec.Type == TypeSimple {
		s.setState(StateRunning)
		s.settle(true)
	}
	e, op := s.wait(p)
	s.update(func(x *Status) { x.PID = 0 })
	return e, nil, op
}

// wait waits for p to exit, handling READY=1 and control requests.
func (s *service) wait(p *proc) (Exit, ctlOp) {
	for {
		select {
		case e := <-p.exit:
			<-p.logs
			return e, opNone
		case <-p.ready:
			p.ready = nil
			s.setState(StateRunning)
			s.settle(true)
			s.logf("ready")
		case r := <-s.ctl:
			if r.op == opStart {
				close(r.done)
				continue
			}
			s.setState(StateStopping)
			e := s.terminate(p)
			close(r.done)
			return e, r.op
		}
	}
}

// terminate sends SIGTERM to p's process group, then SIGKILL after the
// policy's stop timeout, and waits for p's exit.
func (s *service) terminate(p *proc) Exit {
	syscall.Kill(-p.pid, syscall.SIGTERM)
	syscall.Kill(-p.pid, syscall.SIGCONT)
	t := time.NewTimer(s.sup.policy.StopTimeout)
	defer t.Stop()
	select {
	case e := <-p.exit:
		<-p.logs
		s.logf("stopped (%s)", e)
		return e
	case <-t.C:
	}
	s.logf("did not stop within %v: sending SIGKILL", s.sup.policy.StopTimeout)
	syscall.Kill(-p.pid, syscall.SIGKILL)
	select {
	case e := <-p.exit:
		<-p.logs
		return e
	case <-time.After(5 * time.Second):
		s.logf("pid %d survived SIGKILL for 5s; giving up on it", p.pid)
		return Exit{PID: p.pid, Time: time.Now()}
	}
}

// afterExit records how the service ended and decides what comes next: the
// delay before a restart, or -1 to idle until a start request.
func (s *service) afterExit(exit Exit, err error) time.Duration {
	failed := err != nil || !exit.Success()
	desc := exit.String()
	if err != nil {
		desc = err.Error()
	}
	s.update(func(x *Status) { x.LastExit = desc })
	if !failed && s.spec.Type == TypeOneshot {
		s.setState(StateExited)
		s.settle(true)
		s.logf("finished")
		return -1
	}
	restart := s.spec.Restart == RestartAlways || (s.spec.Restart == RestartOnFailure && failed)
	if !restart {
		st := StateExited
		if failed {
			st = StateFailed
		}
		s.setState(st)
		s.settle(!failed && s.isReady())
		s.logf("%s; not restarting (restart=%s)", desc, s.spec.Restart)
		return -1
	}
	var uptime time.Duration
	s.mu.Lock()
	if err == nil {
		uptime = exit.Time.Sub(s.status.StartedAt)
	}
	s.mu.Unlock()
	base := time.Duration(s.spec.RestartSec * float64(time.Second))
	now := time.Now()
	delay, looping := s.bo.failed(s.sup.policy, base, now, uptime)
	s.update(func(x *Status) {
		x.Restarts++
		x.NextStart = now.Add(delay)
		x.State = StateBackoff
		if looping {
			x.State = StateCrashLooping
		}
	})
	if looping {
		s.logf("%s; crash-looping (%d failures within %v), next try in %v", desc, s.sup.policy.CrashLoopFailures, s.sup.policy.CrashLoopWindow, delay)
		s.settle(false)
	} else {
		s.logf("%s; restarting in %v", desc, delay)
	}
	return delay
}

// spawn starts argv for the service with its output captured.
func (s *service) spawn(id identity, argv []string, notify bool) (*proc, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	var extra []*os.File
	var nr, nw *os.File
	if notify {
		if nr, nw, err = os.Pipe(); err != nil {
			r.Close()
			w.Close()
			return nil, err
		}
		extra = append(extra, nw)
	}
	closeAll := func(fs ...*os.File) {
		for _, f := range fs {
			if f != nil {
				f.Close()
			}
		}
	}
	cmd, err := command(s.spec, id, argv, w, extra...)
	if err != nil {
		closeAll(r, w, nr, nw)
		return nil, err
	}
	pid, exit, err := s.sup.reaper.Start(cmd)
	closeAll(w, nw)
	if err != nil {
		closeAll(r, nr)
		return nil, err
	}
	p := &proc{pid: pid, exit: exit, logs: make(chan struct{})}
	go s.pump(r, p.logs)
	if notify {
		ready := make(chan struct{})
		p.ready = ready
		go s.watchReady(nr, ready)
	}
	return p, nil
}

// spawnTTY starts the service's exec on its terminal. Nothing is
// captured: the output goes to the terminal only.
func (s *service) spawnTTY(id identity) (*proc, error) {
	tty, err := os.OpenFile(s.spec.TTY, os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		return nil, fmt.Errorf("tty: %w", err)
	}
	defer tty.Close()
	cmd, err := ttyCommand(s.spec, id, s.spec.Exec, tty)
	if err != nil {
		return nil, err
	}
	pid, exit, err := s.sup.reaper.Start(cmd)
	if err != nil {
		return nil, err
	}
	logs := make(chan struct{})
	close(logs)
	return &proc{pid: pid, exit: exit, logs: logs}, nil
}

// pump copies a child's output, line by line, into the service's logs.
func (s *service) pump(r *os.File, done chan struct{}) {
	defer close(done)
	defer r.Close()
	defer recoverTo(s.sup.logf, "log pump "+s.spec.Name)
	br := bufio.NewReaderSize(r, 4096)
	for {
		line, _, err := br.ReadLine() // long lines arrive in pieces
		if len(line) > 0 || err == nil {
			s.output(string(line))
		}
		if err != nil {
			return
		}
	}
}

func (s *service) output(line string) {
	s.logs.add(line)
	s.file.writeLine(line)
	if s.sup.echo {
		s.sup.logf("%s: %s", s.spec.Name, line)
	}
}

// watchReady closes ready when the child writes a READY=1 line on fd 3.
func (s *service) watchReady(r *os.File, ready chan struct{}) {
	defer r.Close()
	defer recoverTo(s.sup.logf, "readiness "+s.spec.Name)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if sc.Text() == "READY=1" {
			close(ready)
			io.Copy(io.Discard, r)
			return
		}
	}
}

// request sends a control operation and waits until it is handled.
func (s *service) request(op ctlOp) {
	r := ctlReq{op: op, done: make(chan struct{})}
	select {
	case s.ctl <- r:
	case <-s.exited:
		return
	}
	select {
	case <-r.done:
	case <-s.exited:
	}
}

func (s *service) snapshot() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}
