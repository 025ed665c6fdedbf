package control

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frazil/frazil/init/supervisor"
)

type fakeBackend struct {
	mu      sync.Mutex
	actions []string
	lines   chan string
}

func (f *fakeBackend) record(s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.actions = append(f.actions, s)
}

func (f *fakeBackend) Status() []supervisor.Status {
	return []supervisor.Status{{Name: "web", State: supervisor.StateRunning, PID: 42, Restarts: 2, StartedAt: time.Now().Add(-3 * time.Second)}}
}

func (f *fakeBackend) check(name string) error {
	if name != "web" {
		return fmt.Errorf("service %q: %w", name, supervisor.ErrUnknownService)
	}
	return nil
}

func (f *fakeBackend) Logs(name string, n int) ([]string, error) {
	return []string{"one", "two"}[2-min(max(n, 0), 2):], f.check(name)
}

func (f *fakeBackend) Follow(ctx context.Context, name string, n int, emit func(string) error) error {
	for {
		select {
		case l := <-f.lines:
			if err := emit(l); err != nil {
				return err
			}
		case <-ctx.Done():
			return nil
		}
	}
}

func (f *fakeBackend) StartService(n string) error   { f.record("start " + n); return f.check(n) }
func (f *fakeBackend) StopService(n string) error    { f.record("stop " + n); return f.check(n) }
func (f *fakeBackend) RestartService(n string) error { f.record("restart " + n); return f.check(n) }
func (f *fakeBackend) Power(a string) error {
	if a != "poweroff" && a != "reboot" && a != "halt" {
		return fmt.Errorf("unknown power action %q", a)
	}
	f.record(a)
	return nil
}

func (f *fakeBackend) Switch(top string) (supervisor.Changes, error) {
	switch top {
	case "/nix/store/abc-frazil-system-x":
		f.record("switch " + top)
		return supervisor.Changes{Started: []string{"new"}, Restarted: []string{"web"}, Unchanged: []string{"db"}}, nil
	case "/nix/store/broken":
		return supervisor.Changes{}, fmt.Errorf("activation failed")
	}
	return supervisor.Changes{}, fmt.Errorf("%s: %w", top, ErrBadToplevel)
}

func serve(t *testing.T) (*Client, *fakeBackend) {
	t.Helper()
	sock := filepath.Join(t.TempDir(), "control.sock")
	l, err := Listen(sock)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(sock); st.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v", st.Mode())
	}
	b := &fakeBackend{lines: make(chan string)}
	srv := &http.Server{Handler: Handler(b)}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return NewClient(sock), b
}

func TestServices(t *testing.T) {
	c, _ := serve(t)
	list, err := c.Services(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Name != "web" || list[0].PID != 42 || list[0].Restarts != 2 || list[0].UptimeSeconds < 2.5 {
		t.Errorf("services = %+v", list)
	}
}

func TestActions(t *testing.T) {
	c, b := serve(t)
	ctx := context.Background()
	for _, a := range []string{"start", "stop", "restart"} {
		if err := c.Service(ctx, "web", a); err != nil {
			t.Errorf("%s: %v", a, err)
		}
	}
	if err := c.Power(ctx, "poweroff"); err != nil {
		t.Error(err)
	}
	if got := strings.Join(b.actions, ","); got != "start web,stop web,restart web,poweroff" {
		t.Errorf("actions = %s", got)
	}
	for _, c2 := range []struct {
		err  error
		want string
	}{
		{c.Service(ctx, "ghost", "stop"), `service "ghost": unknown service`},
		{c.Service(ctx, "web", "explode"), `unknown action "explode" (want start, stop or restart)`},
		{c.Power(ctx, "dance"), `unknown power action "dance"`},
	} {
		if c2.err == nil || c2.err.Error() != c2.want {
			t.Errorf("error %v, want %q", c2.err, c2.want)
		}
	}
}

func TestLogs(t *testing.T) {
	c, b := serve(t)
	var out bytes.Buffer
	if err := c.Logs(context.Background(), "web", 1, false, &out); err != nil || out.String() != "two\n" {
		t.Errorf("logs = %q, %v", out.String(), err)
	}
	if err := c.Logs(context.Background(), "ghost", 1, false, &out); err == nil {
		t.Error("logs of an unknown service")
	}
	ctx, cancel := context.WithCancel(context.Background())
	pr := &lineWaiter{want: "hello\n", done: cancel}
	go func() { b.lines <- "hello" }()
	if err := c.Logs(ctx, "web", 0, true, pr); err != nil {
		t.Fatal(err)
	}
	if pr.String() != "hello\n" {
		t.Errorf("followed %q", pr.String())
	}
}

// lineWaiter cancels the follow once it has seen want.
type lineWaiter struct {
	bytes.Buffer
	want string
	done func()
}

func (l *lineWaiter) Write(p []byte) (int, error) {
	n, err := l.Buffer.Write(p)
	if l.String() == l.want {
		l.done()
	}
	return n, err
}

func TestSwitch(t *testing.T) {
	c, b := serve(t)
	ctx := context.Background()
	ch, err := c.Switch(ctx, "/nix/store/abc-frazil-system-x")
	if err != nil {
		t.Fatal(err)
	}
	want := supervisor.Changes{Started: []string{"new"}, Restarted: []string{"web"}, Unchanged: []string{"db"}}
	if fmt.Sprint(ch) != fmt.Sprint(want) {
		t.Errorf("changes = %+v, want %+v", ch, want)
	}
	if got := strings.Join(b.actions, ","); got != "switch /nix/store/abc-frazil-system-x" {
		t.Errorf("actions = %s", got)
	}
	if _, err := c.Switch(ctx, "/tmp/x"); err == nil || err.Error() != "/tmp/x: not a toplevel" {
		t.Errorf("bad toplevel: %v", err)
	}
	if _, err := c.Switch(ctx, "/nix/store/broken"); err == nil || err.Error() != "activation failed" {
		t.Errorf("failing switch: %v", err)
	}
	for body, want := range map[string]int{`{}`: 400, `{"toplevel": 1}`: 400, `{"toplevel": "/x", "extra": 1}`: 400, `{"toplevel": "/tmp/x"}`: 400, `{"toplevel": "/nix/store/broken"}`: 500} {
		resp, err := c.http.Post("http://frazil/v1/system/switch", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("POST switch %s: status %d, want %d", body, resp.StatusCode, want)
		}
	}
}
