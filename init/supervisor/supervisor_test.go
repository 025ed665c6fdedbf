package supervisor

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/frazil/frazil/internal/testutil"
	"golang.org/x/sys/unix"
)

// The test binary doubles as the services' program: with SUPERVISOR_HELPER
// set it behaves as that helper instead of running tests.
func TestMain(m *testing.M) {
	if h := os.Getenv("SUPERVISOR_HELPER"); h != "" {
		os.Exit(helper(h))
	}
	os.Exit(m.Run())
}

// helper implements the helper programs; out is SUPERVISOR_OUT, a file the
// helper appends to.
func helper(mode string) int {
	out := os.Getenv("SUPERVISOR_OUT")
	appendOut := func(s string) {
		f, err := os.OpenFile(out, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
		if err == nil {
			f.WriteString(s + "\n")
			f.Close()
		}
	}
	name := os.Getenv("SUPERVISOR_NAME")
	switch mode {
	case "serve": // record the start, print, run until SIGTERM, record the stop
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGTERM)
		appendOut("start " + name)
		fmt.Println("hello from", name)
		<-ch
		appendOut("stop " + name)
		return 0
	case "crash":
		appendOut("start " + name)
		fmt.Fprintln(os.Stderr, "crashing")
		return 3
	case "oneshot":
		time.Sleep(50 * time.Millisecond)
		appendOut("done " + name)
		return 0
	case "notify":
		time.Sleep(100 * time.Millisecond)
		appendOut("ready " + name)
		os.NewFile(3, "notify").WriteString("READY=1\n")
		for {
			time.Sleep(time.Hour) // not select{}: the runtime would call that a deadlock and exit
		}
	case "stubborn": // ignores SIGTERM
		signal.Ignore(syscall.SIGTERM)
		appendOut("start " + name)
		for {
			time.Sleep(time.Hour) // not select{}: the runtime would call that a deadlock and exit
		}
	case "whoami":
		appendOut(fmt.Sprintf("%d %d %s", os.Getuid(), os.Getgid(), os.Getenv("HOME")))
		return 0
	case "orphan": // leave a child behind that outlives us briefly
		self, _ := os.Executable()
		cmd := exec.Command(self)
		cmd.Env = append(os.Environ(), "SUPERVISOR_HELPER=nap")
		if err := cmd.Start(); err != nil {
			return 1
		}
		appendOut(strconv.Itoa(cmd.Process.Pid))
		return 0
	case "nap":
		time.Sleep(100 * time.Millisecond)
		return 0
	case "pwd":
		wd, _ := os.Getwd()
		appendOut("pwd " + wd)
		return 0
	case "fail":
		appendOut("fail " + name)
		return 4
	case "tty": // report the terminal, then echo one line read from it
		_, terr := unix.IoctlGetTermios(0, unix.TCGETS)
		isTTY := terr == nil
		sid, _ := unix.Getsid(0)
		pgrp, _ := unix.IoctlGetInt(0, unix.TIOCGPGRP)
		fmt.Printf("tty=%v session-leader=%v foreground=%v term=%s\n", isTTY, sid == os.Getpid(), pgrp == os.Getpid(), os.Getenv("TERM"))
		line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
		appendOut("got " + strings.TrimSpace(line))
		return 0
	case "chatty":
		for i := range 20 {
			fmt.Printf("line %d %s\n", i, strings.Repeat("x", 40))
		}
		return 0
	}
	return 99
}

// testPolicy keeps timings short.
var testPolicy = Policy{
	MaxDelay:          400 * time.Millisecond,
	ResetAfter:        10 * time.Second,
	CrashLoopFailures: 4,
	CrashLoopWindow:   10 * time.Second,
	CrashLoopRetry:    time.Hour,
	StopTimeout:       time.Second,
}

type harness struct {
	t       *testing.T
	out     string
	bin     string
	console *syncBuffer
	sup     *Supervisor
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, out: filepath.Join(t.TempDir(), "out"), bin: bin, console: &syncBuffer{}}
}

// svc declares a service running the helper in mode.
func (h *harness) svc(name, mode string, f func(*Spec)) Spec {
	s := Spec{
		Name:        name,
		Exec:        []string{h.bin},
		Environment: map[string]string{"SUPERVISOR_HELPER": mode, "SUPERVISOR_OUT": h.out, "SUPERVISOR_NAME": name},
		WantedBy:    []string{DefaultTarget},
		RestartSec:  0.05,
	}
	if f != nil {
		f(&s)
	}
	s.setDefaults()
	return s
}

func (h *harness) start(logDir string, specs ...Spec) *Supervisor {
	h.t.Helper()
	sup, err := New(Config{Services: specs, Console: h.console, Policy: testPolicy, LogDir: logDir, LogFileMax: 600})
	if err != nil {
		h.t.Fatal(err)
	}
	h.sup = sup
	sup.Start()
	h.t.Cleanup(sup.Shutdown)
	return sup
}

func (h *harness) events() []string {
	data, _ := os.ReadFile(h.out)
	return strings.Fields(strings.ReplaceAll(strings.TrimSpace(string(data)), " ", "_"))
}

// waitFor polls cond for up to 10 s.
func (h *harness) waitFor(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting for %s; events %q; console:\n%s", what, h.events(), h.console.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (h *harness) status(name string) Status {
	for _, s := range h.sup.Status() {
		if s.Name == name {
			return s
		}
	}
	h.t.Fatalf("no status for %s", name)
	return Status{}
}

func (h *harness) waitSettled() {
	h.t.Helper()
	select {
	case <-h.sup.Settled():
	case <-time.After(10 * time.Second):
		h.t.Fatalf("services never settled; console:\n%s", h.console.String())
	}
}

func TestStartOrderAndReady(t *testing.T) {
	h := newHarness(t)
	h.start("",
		h.svc("web", "serve", func(s *Spec) { s.After = []string{"db"}; s.Requires = []string{"migrate"} }),
		h.svc("migrate", "oneshot", func(s *Spec) { s.Type = TypeOneshot; s.After = []string{"db"} }),
		h.svc("db", "notify", func(s *Spec) { s.Type = TypeNotifyReady }),
	)
	h.waitSettled()
	h.waitFor("web's start", func() bool { return len(h.events()) == 3 })
	want := "ready_db done_migrate start_web"
	if got := strings.Join(h.events(), " "); got != want {
		t.Errorf("events = %q, want %q", got, want)
	}
	if !strings.Contains(h.console.String(), "frazil: all services ready (") {
		t.Errorf("console lacks the ready line:\n%s", h.console.String())
	}
	for name, want := range map[string]State{"db": StateRunning, "migrate": StateExited, "web": StateRunning} {
		if got := h.status(name).State; got != want {
			t.Errorf("%s state = %s, want %s", name, got, want)
		}
	}
}

func TestStopInReverseOrder(t *testing.T) {
	h := newHarness(t)
	sup := h.start("",
		h.svc("a", "serve", nil),
		h.svc("b", "serve", func(s *Spec) { s.After = []string{"a"} }),
		h.svc("c", "serve", func(s *Spec) { s.Requires = []string{"b"} }),
	)
	h.waitFor("three starts", func() bool { return len(h.events()) == 3 })
	st := sup.Status()
	if names := st[0].Name + st[1].Name + st[2].Name; names != "abc" {
		t.Errorf("start order %s, want abc", names)
	}
	if st[1].StartedAt.Before(st[0].StartedAt) || st[2].StartedAt.Before(st[1].StartedAt) {
		t.Errorf("start times out of order: %v %v %v", st[0].StartedAt, st[1].StartedAt, st[2].StartedAt)
	}
	sup.Shutdown()
	// A simple service is ready once exec'd, so the helpers' own start
	// records may interleave; stops are sequential.
	if got := strings.Join(h.events()[3:], " "); got != "stop_c stop_b stop_a" {
		t.Errorf("stop events = %q, want stop_c stop_b stop_a", got)
	}
	for _, s := range sup.Status() {
		if s.State != StateStopped || s.PID != 0 {
			t.Errorf("%s after shutdown: state %s pid %d", s.Name, s.State, s.PID)
		}
	}
}

func TestCrashBackoffAndCrashLoop(t *testing.T) {
	h := newHarness(t)
	h.start("", h.svc("bad", "crash", func(s *Spec) { s.Restart = RestartAlways }))
	h.waitFor("crash loop", func() bool { return h.status("bad").State == StateCrashLooping })
	st := h.status("bad")
	if st.Restarts != testPolicy.CrashLoopFailures {
		t.Errorf("restarts = %d, want %d", st.Restarts, testPolicy.CrashLoopFailures)
	}
	if st.LastExit != "exited with status 3" {
		t.Errorf("last exit = %q", st.LastExit)
	}
	if n := len(h.events()); n != testPolicy.CrashLoopFailures {
		t.Errorf("started %d times, want %d", n, testPolicy.CrashLoopFailures)
	}
	con := h.console.String()
	for _, want := range []string{"restarting in 50ms", "restarting in 100ms", "restarting in 200ms", "crash-looping (4 failures within 10s), next try in 1h0m0s"} {
		if !strings.Contains(con, want) {
			t.Errorf("console lacks %q:\n%s", want, con)
		}
	}
	// A simple service is ready once started, so a crash loop still lets
	// the boot announce readiness.
	h.waitSettled()
	if !strings.Contains(con+h.console.String(), "all services ready") {
		t.Errorf("no ready line:\n%s", h.console.String())
	}
	// A manual restart forgets the failures and starts at once.
	if err := h.sup.RestartService("bad"); err != nil {
		t.Fatal(err)
	}
	h.waitFor("restart after crash loop", func() bool { return len(h.events()) > testPolicy.CrashLoopFailures })
}

func TestRestartPolicies(t *testing.T) {
	h := newHarness(t)
	h.start("",
		h.svc("no", "crash", func(s *Spec) { s.Type = TypeOneshot; s.Restart = RestartNo }),
		h.svc("onfail-ok", "oneshot", func(s *Spec) { s.Restart = RestartOnFailure }),
		h.svc("always-ok", "oneshot", func(s *Spec) { s.Restart = RestartAlways }),
		h.svc("dependent", "serve", func(s *Spec) { s.Requires = []string{"no"} }),
	)
	h.waitFor("always-ok restarts", func() bool { return h.status("always-ok").Restarts >= 2 })
	h.waitSettled()
	for name, want := range map[string]State{"no": StateFailed, "onfail-ok": StateExited, "dependent": StateFailed} {
		if got := h.status(name).State; got != want {
			t.Errorf("%s state = %s, want %s", name, got, want)
		}
	}
	if e := h.status("dependent").Error; e != "required service no failed" {
		t.Errorf("dependent error = %q", e)
	}
	if r := h.status("onfail-ok").Restarts; r != 0 {
		t.Errorf("onfail-ok restarted %d times", r)
	}
	if !strings.Contains(h.console.String(), "frazil: services settled (") || !strings.Contains(h.console.String(), "failed: no, dependent") {
		t.Errorf("console lacks the failure summary:\n%s", h.console.String())
	}
}

func TestStopStartAndKill(t *testing.T) {
	h := newHarness(t)
	h.start("", h.svc("stubborn", "stubborn", func(s *Spec) { s.Restart = RestartAlways }))
	h.waitFor("start", func() bool { return len(h.events()) == 1 && h.status("stubborn").State == StateRunning })
	begin := time.Now()
	if err := h.sup.StopService("stubborn"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(begin); d < testPolicy.StopTimeout {
		t.Errorf("stop took %v, before the SIGKILL timeout %v", d, testPolicy.StopTimeout)
	}
	st := h.status("stubborn")
	if st.State != StateStopped || !strings.Contains(h.console.String(), "sending SIGKILL") {
		t.Errorf("state %s; console:\n%s", st.State, h.console.String())
	}
	time.Sleep(200 * time.Millisecond) // a stopped service stays stopped despite restart=always
	if n := len(h.events()); n != 1 {
		t.Errorf("stopped service started again: %q", h.events())
	}
	if err := h.sup.StartService("stubborn"); err != nil {
		t.Fatal(err)
	}
	h.waitFor("second start", func() bool { return len(h.events()) == 2 })
	if err := h.sup.StopService("nope"); err == nil || !strings.Contains(err.Error(), "unknown service") {
		t.Errorf("StopService(nope) = %v", err)
	}
}

func TestLogsRingAndRotation(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	h.start(dir, h.svc("chatty", "chatty", func(s *Spec) { s.Type = TypeOneshot }))
	h.waitSettled()
	lines, err := h.sup.Logs("chatty", 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 2 || lines[0] != "line 19 "+strings.Repeat("x", 40) || lines[1] != "frazil: finished" {
		t.Errorf("last 2 lines = %q", lines)
	}
	cur, err1 := os.ReadFile(filepath.Join(dir, "chatty.log"))
	old, err2 := os.ReadFile(filepath.Join(dir, "chatty.log.1"))
	if err1 != nil || err2 != nil {
		t.Fatalf("log files: %v, %v", err1, err2)
	}
	if len(cur) > 600 || len(old) > 600 || len(old) < 500 {
		t.Errorf("rotation at 600 bytes: current %d bytes, previous %d", len(cur), len(old))
	}
	if !strings.HasSuffix(string(cur), "frazil: finished\n") {
		t.Errorf("current log ends %q", cur[max(0, len(cur)-40):])
	}
}

func TestFollow(t *testing.T) {
	h := newHarness(t)
	h.start("", h.svc("web", "serve", nil))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var got []string
	err := h.sup.Follow(ctx, "web", 0, func(l string) error {
		got = append(got, l)
		if strings.HasPrefix(l, "hello from") {
			return io.EOF
		}
		return nil
	})
	if err != io.EOF {
		t.Fatalf("Follow = %v, lines %q", err, got)
	}
}

func TestUserSwitch(t *testing.T) {
	testutil.RequireRoot(t)
	u, err := user.Lookup("nobody")
	if err != nil {
		testutil.Missing(t, "user nobody: %v", err)
	}
	h := newHarness(t)
	// nobody must be able to run the binary and write the output file.
	dir, err := os.MkdirTemp("", "supervisor-user")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	os.Chmod(dir, 0o777)
	data, err := os.ReadFile(h.bin)
	if err != nil {
		t.Fatal(err)
	}
	h.bin = filepath.Join(dir, "helper")
	if err := os.WriteFile(h.bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	h.out = filepath.Join(dir, "out")
	h.start("", h.svc("who", "whoami", func(s *Spec) { s.Type = TypeOneshot; s.User = "nobody"; s.WorkingDirectory = dir }))
	h.waitSettled()
	got := strings.Join(h.events(), " ")
	want := u.Uid + "_" + u.Gid + "_" + u.HomeDir
	if got != want {
		t.Errorf("helper ran as %q, want %q; console:\n%s", got, want, h.console.String())
	}
	if uid, _ := strconv.Atoi(u.Uid); uid == 0 {
		t.Errorf("nobody has uid 0")
	}
}

func TestExecNotFound(t *testing.T) {
	h := newHarness(t)
	h.start("", Spec{Name: "ghost", Exec: []string{"no-such-program"}, WantedBy: []string{DefaultTarget}, Type: TypeSimple, Restart: RestartNo, User: "root", WorkingDirectory: "/", RestartSec: 1})
	h.waitSettled()
	st := h.status("ghost")
	if st.State != StateFailed || !strings.Contains(st.LastExit, `executable "no-such-program" not found`) {
		t.Errorf("status = %+v", st)
	}
}

func TestReapOrphans(t *testing.T) {
	// Become a subreaper, as PID 1 is one by nature, so the helper's child
	// is re-parented to this process when the helper exits.
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		t.Fatalf("prctl: %v", err)
	}
	orphans := make(chan Exit, 10)
	r := DefaultReaper()
	r.Orphan = func(e Exit) { orphans <- e }
	t.Cleanup(func() { r.Orphan = nil })
	h := newHarness(t)
	h.start("", h.svc("parent", "orphan", func(s *Spec) { s.Type = TypeOneshot }))
	h.waitSettled()
	pid, err := strconv.Atoi(strings.Join(h.events(), ""))
	if err != nil {
		t.Fatalf("helper output %q: %v", h.events(), err)
	}
	select {
	case e := <-orphans:
		if e.PID != pid || !e.Success() {
			t.Errorf("reaped orphan %d (%s), want %d exiting 0", e.PID, e, pid)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("orphan never reaped")
	}
}

// openPTY returns a pseudo-terminal's master and the path of its slave.
func openPTY(t *testing.T) (*os.File, string) {
	t.Helper()
	fd, err := unix.Open("/dev/ptmx", unix.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		testutil.Missing(t, "no pseudo-terminals here: %v", err)
	}
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	return os.NewFile(uintptr(fd), "ptmx"), fmt.Sprintf("/dev/pts/%d", n)
}

// TestTTYService runs a service on a terminal: it is a session leader
// with the terminal as stdin, stdout and controlling terminal, reads what
// is typed, and its output reaches the terminal but not the logs.
func TestTTYService(t *testing.T) {
	master, slave := openPTY(t)
	defer master.Close()
	h := newHarness(t)
	h.start("", h.svc("console", "tty", func(s *Spec) { s.TTY = slave; s.Restart = RestartNo }))
	r := bufio.NewReader(master)
	var report string
	done := make(chan error, 1)
	go func() {
		var err error
		for !strings.HasPrefix(report, "tty=") && err == nil {
			report, err = r.ReadString('\n')
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("reading the terminal: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("nothing on the terminal; console:\n%s", h.console.String())
	}
	if want := "tty=true session-leader=true foreground=true term=vt220"; strings.TrimSpace(report) != want {
		t.Errorf("service reports %q, want %q", strings.TrimSpace(report), want)
	}
	if _, err := master.WriteString("typed line\n"); err != nil {
		t.Fatal(err)
	}
	h.waitFor("the line typed on the terminal", func() bool { return strings.Join(h.events(), " ") == "got_typed_line" })
	h.waitFor("the exit", func() bool { return h.status("console").State == StateExited })
	logs, _ := h.sup.Logs("console", 0)
	for _, l := range logs {
		if strings.HasPrefix(l, "tty=") {
			t.Errorf("terminal output was captured in the logs: %q", logs)
		}
	}
}

func TestPreStartAndWorkingDirectory(t *testing.T) {
	h := newHarness(t)
	dir := t.TempDir()
	pre := func(mode string) []string { return []string{"/usr/bin/env", "SUPERVISOR_HELPER=" + mode, h.bin} }
	h.start("",
		h.svc("ok", "pwd", func(s *Spec) {
			s.Type = TypeOneshot
			s.WorkingDirectory = dir
			s.PreStart = [][]string{pre("pwd")}
		}),
		h.svc("blocked", "serve", func(s *Spec) {
			s.PreStart = [][]string{pre("fail")}
			s.Restart = RestartNo
		}),
	)
	h.waitSettled()
	events := strings.Join(h.events(), " ")
	// The two services run concurrently, so their events interleave.
	if strings.Count(events, "pwd_"+dir) != 2 {
		t.Errorf("preStart and main should both run in %s: %q", dir, events)
	}
	if strings.Contains(events, "start_blocked") {
		t.Errorf("main process ran after a failed preStart: %q", events)
	}
	if st := h.status("blocked"); st.State != StateFailed || st.LastExit != "preStart /usr/bin/env exited with status 4" {
		t.Errorf("blocked: %+v", st)
	}
}
