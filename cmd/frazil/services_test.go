package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frazil/frazil/init/control"
	"github.com/frazil/frazil/init/supervisor"
)

// fakeDevice stands in for PID 1 behind the control socket.
type fakeDevice struct{ actions []string }

func (f *fakeDevice) Status() []supervisor.Status {
	return []supervisor.Status{
		{Name: "web", Type: "simple", State: supervisor.StateRunning, PID: 7, Restarts: 1, StartedAt: time.Now().Add(-90 * time.Second), LastExit: "exited with status 1"},
		{Name: "db-init", Type: "oneshot", State: supervisor.StateFailed, Error: "required service x failed"},
	}
}
func (f *fakeDevice) Logs(name string, n int) ([]string, error) {
	if name != "web" {
		return nil, fmt.Errorf("service %q: %w", name, supervisor.ErrUnknownService)
	}
	return []string{"listening on :80", "GET /"}, nil
}
func (f *fakeDevice) Follow(ctx context.Context, name string, n int, emit func(string) error) error {
	return errors.New("not used")
}
func (f *fakeDevice) StartService(n string) error {
	f.actions = append(f.actions, "start "+n)
	return nil
}
func (f *fakeDevice) StopService(n string) error {
	f.actions = append(f.actions, "stop "+n)
	return nil
}
func (f *fakeDevice) RestartService(n string) error {
	f.actions = append(f.actions, "restart "+n)
	return nil
}
func (f *fakeDevice) Switch(top string) (supervisor.Changes, error) {
	f.actions = append(f.actions, "switch "+top)
	if !strings.HasPrefix(top, "/nix/store/") {
		return supervisor.Changes{}, fmt.Errorf("switch %s: %w", top, control.ErrBadToplevel)
	}
	return supervisor.Changes{Started: []string{"extra"}, Restarted: []string{"web"}}, nil
}
func (f *fakeDevice) Power(a string) error {
	f.actions = append(f.actions, "power "+a)
	return nil
}

func serveFake(t *testing.T) (string, *fakeDevice) {
	sock := filepath.Join(t.TempDir(), "control.sock")
	l, err := control.Listen(sock)
	if err != nil {
		t.Fatal(err)
	}
	f := &fakeDevice{}
	srv := &http.Server{Handler: control.Handler(f)}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return sock, f
}

// captureStdout runs f with os.Stdout redirected.
func captureStdout(t *testing.T, f func() error) (string, error) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	errc := make(chan error, 1)
	go func() { errc <- f(); w.Close() }()
	out, _ := io.ReadAll(r)
	os.Stdout = old
	return string(out), <-errc
}

func TestServicesTable(t *testing.T) {
	sock, _ := serveFake(t)
	out, err := captureStdout(t, func() error { return runServices([]string{"--socket", sock}) })
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("table:\n%s", out)
	}
	for i, want := range [][]string{
		{"NAME", "STATE", "PID", "RESTARTS", "UPTIME", "LAST", "EXIT"},
		{"web", "running", "7", "1", "1m30s", "exited", "with", "status", "1"},
		{"db-init", "failed", "-", "0", "-", "required", "service", "x", "failed"},
	} {
		if got := strings.Fields(lines[i]); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("line %d = %q, want %q", i, got, want)
		}
	}
}

func TestServicesJSONAndActions(t *testing.T) {
	sock, f := serveFake(t)
	out, err := captureStdout(t, func() error { return runServices([]string{"--json", "--socket", sock}) })
	if err != nil || !strings.Contains(out, `"name": "web"`) || !strings.Contains(out, `"state": "failed"`) {
		t.Errorf("json = %s (%v)", out, err)
	}
	if err := runServices([]string{"--socket", sock, "restart", "web"}); err != nil {
		t.Fatal(err)
	}
	if strings.Join(f.actions, ",") != "restart web" {
		t.Errorf("actions %q", f.actions)
	}
	if err := runServices([]string{"--socket", sock, "explode", "web"}); !errors.Is(err, errUsage) {
		t.Errorf("bad action: %v", err)
	}
}

func TestLogsVerb(t *testing.T) {
	sock, _ := serveFake(t)
	out, err := captureStdout(t, func() error { return runLogs([]string{"--socket", sock, "-n", "2", "web"}) })
	if err != nil || out != "listening on :80\nGET /\n" {
		t.Errorf("logs = %q (%v)", out, err)
	}
	if err := runLogs([]string{"--socket", sock, "ghost"}); err == nil || !strings.Contains(err.Error(), "unknown service") {
		t.Errorf("logs ghost = %v", err)
	}
	if err := runLogs([]string{"--socket", filepath.Join(t.TempDir(), "none"), "web"}); err == nil || !strings.Contains(err.Error(), "is this a Frazil machine") {
		t.Errorf("no socket: %v", err)
	}
	var buf bytes.Buffer
	if err := printServices(&buf, nil, true); err != nil || strings.TrimSpace(buf.String()) != "[]" {
		t.Errorf("empty json = %q", buf.String())
	}
}

func TestPowerVerbs(t *testing.T) {
	sock, f := serveFake(t)
	for _, a := range []string{"poweroff", "reboot", "halt"} {
		if err := commands[a].run([]string{"--socket", sock}); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	if got := strings.Join(f.actions, ","); got != "power poweroff,power reboot,power halt" {
		t.Errorf("actions %q", got)
	}
	if err := commands["reboot"].run([]string{"--socket", sock, "now"}); !errors.Is(err, errUsage) {
		t.Errorf("reboot now: %v, want a usage error", err)
	}
}
