package vm

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/frazil/frazil/internal/testutil"
)

// A VM is one running QEMU.
type VM struct {
	Console *Console
	t       testing.TB
	name    string
	cmd     *exec.Cmd
	argv    []string
	dir     string // per-VM files; kept on failure
	done    chan struct{}
	waitErr error
	marker  atomic.Int64
}

// Start boots a VM and registers its cleanup: QEMU is killed at the end of
// the test, and on failure the console log is kept and the command line
// printed.
func Start(t testing.TB, o Options) *VM {
	t.Helper()
	o.setDefaults()
	if o.Name == "" {
		o.Name = strings.ReplaceAll(t.Name(), "/", "_")
	}
	testutil.RequireTool(t, Binary(o.Arch), "make setup")
	dir, err := os.MkdirTemp("", "frazil-vm-"+o.Name+"-")
	if err != nil {
		t.Fatal(err)
	}
	if o.Firmware == UEFI {
		if err := PrepareUEFIVars(&o, dir); err != nil {
			testutil.Missing(t, "%v (apt-get install ovmf)", err)
		}
	}
	args, err := CommandLine(o, Accel(o.Arch, o.Image), dir)
	if err != nil {
		t.Fatal(err)
	}
	v := &VM{t: t, name: o.Name, dir: dir, done: make(chan struct{}), argv: append([]string{Binary(o.Arch)}, args...)}
	if err := v.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.cleanup)
	return v
}

func (v *VM) start() error {
	logf, err := os.Create(filepath.Join(v.dir, "console.log"))
	if err != nil {
		return err
	}
	v.cmd = exec.Command(v.argv[0], v.argv[1:]...)
	v.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // Kill ends its children too
	stdin, err := v.cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := v.cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr := &prefixWriter{logf: v.logf, prefix: "qemu: "}
	v.cmd.Stderr = stderr
	v.Console = newConsole(stdin, logf, v.logf)
	if err := v.cmd.Start(); err != nil {
		return fmt.Errorf("vm %s: %w", v.name, err)
	}
	v.logf("started: %s", v.CommandLine())
	go func() {
		v.Console.feed(stdout)
		v.waitErr = v.cmd.Wait()
		logf.Close()
		close(v.done)
	}()
	return nil
}

func (v *VM) logf(format string, args ...any) {
	v.t.Logf("%s: "+format, append([]any{v.name}, args...)...)
}

// CommandLine returns the shell command that reproduces the VM.
func (v *VM) CommandLine() string {
	q := make([]string, len(v.argv))
	for i, a := range v.argv {
		q[i] = shellQuote(a)
	}
	return strings.Join(q, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=+,./:") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func (v *VM) cleanup() {
	v.Kill()
	if v.t.Failed() {
		v.t.Logf("%s: console log kept in %s/console.log; reproduce with:\n%s", v.name, v.dir, v.CommandLine())
		return
	}
	os.RemoveAll(v.dir)
}

// Expect waits for a console pattern (see Console.Expect).
func (v *VM) Expect(pattern string, timeout time.Duration) ([]string, error) {
	return v.Console.Expect(regexp.MustCompile(pattern), timeout)
}

// MustExpect is Expect that fails the test on timeout.
func (v *VM) MustExpect(pattern string, timeout time.Duration) []string {
	v.t.Helper()
	m, err := v.Expect(pattern, timeout)
	if err != nil {
		v.t.Fatalf("%s: %v", v.name, err)
	}
	return m
}

// Keys understood by the serial terminals of boot menus.
const (
	KeyUp    = "\x1b[A"
	KeyDown  = "\x1b[B"
	KeyEnter = "\r"
	KeyEsc   = "\x1b"
)

// SendKeys types keys on the console, pausing between them so that menus
// see each one separately.
func (v *VM) SendKeys(keys ...string) error {
	for _, k := range keys {
		if _, err := io.WriteString(v.Console, k); err != nil {
			return fmt.Errorf("vm %s: send keys: %w", v.name, err)
		}
		time.Sleep(150 * time.Millisecond)
	}
	return nil
}

// Run runs a shell command line on the console's shell and returns its
// output and exit status. The output is framed by markers the typed
// command line itself does not contain.
func (v *VM) Run(command string, timeout time.Duration) (string, int, error) {
	n := v.marker.Add(1)
	start, end := fmt.Sprintf("FZB%d", n), fmt.Sprintf("FZE%d", n)
	line := fmt.Sprintf("echo %s''%s; %s; echo %s''%s $?\n", start[:2], start[2:], command, end[:2], end[2:])
	if _, err := io.WriteString(v.Console, line); err != nil {
		return "", -1, fmt.Errorf("vm %s: run: %w", v.name, err)
	}
	m, err := v.Console.Expect(regexp.MustCompile(`(?s)`+start+`\n(.*?)`+end+` (\d+)\n`), timeout)
	if err != nil {
		return "", -1, fmt.Errorf("vm %s: run %q: %w", v.name, command, err)
	}
	status, _ := strconv.Atoi(m[2])
	return m[1], status, nil
}

// qmp sends one QMP command and waits for its reply.
func (v *VM) qmp(command string) error {
	c, err := net.DialTimeout("unix", filepath.Join(v.dir, "qmp.sock"), 5*time.Second)
	if err != nil {
		return fmt.Errorf("vm %s: qmp: %w", v.name, err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	if _, err := r.ReadBytes('\n'); err != nil { // greeting
		return fmt.Errorf("vm %s: qmp: %w", v.name, err)
	}
	for _, cmd := range []string{"qmp_capabilities", command} {
		js, _ := json.Marshal(map[string]string{"execute": cmd})
		if _, err := c.Write(append(js, '\n')); err != nil {
			return fmt.Errorf("vm %s: qmp %s: %w", v.name, cmd, err)
		}
		for {
			l, err := r.ReadBytes('\n')
			if err != nil {
				if cmd == "quit" {
					return nil
				}
				return fmt.Errorf("vm %s: qmp %s: %w", v.name, cmd, err)
			}
			var resp map[string]any
			json.Unmarshal(l, &resp)
			if e, ok := resp["error"]; ok {
				return fmt.Errorf("vm %s: qmp %s: %v", v.name, cmd, e)
			}
			if _, ok := resp["return"]; ok {
				break
			}
		}
	}
	return nil
}

// Reboot resets the VM (like pressing the reset button).
func (v *VM) Reboot() error { return v.qmp("system_reset") }

// PowerOff presses the ACPI power button; the guest shuts down cleanly.
func (v *VM) PowerOff() error { return v.qmp("system_powerdown") }

// Quit stops QEMU at once through QMP (the guest does not shut down).
func (v *VM) Quit() error { return v.qmp("quit") }

// Kill kills QEMU, like pulling the plug.
func (v *VM) Kill() {
	select {
	case <-v.done:
		return
	default:
	}
	if v.cmd != nil && v.cmd.Process != nil {
		syscall.Kill(-v.cmd.Process.Pid, syscall.SIGKILL)
	}
	<-v.done
}

// Wait waits for QEMU to exit and returns its exit error.
func (v *VM) Wait(timeout time.Duration) error {
	select {
	case <-v.done:
		return v.waitErr
	case <-time.After(timeout):
		return fmt.Errorf("vm %s: waiting %s for QEMU to exit: %w", v.name, timeout, ErrTimeout)
	}
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// prefixWriter logs QEMU's stderr line by line.
type prefixWriter struct {
	mu     sync.Mutex
	logf   func(string, ...any)
	prefix string
	buf    []byte
}

func (w *prefixWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, b...)
	for {
		i := strings.IndexByte(string(w.buf), '\n')
		if i < 0 {
			return len(b), nil
		}
		w.logf("%s%s", w.prefix, w.buf[:i])
		w.buf = w.buf[i+1:]
	}
}
