package builder

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frazil/frazil/internal/testutil"
)

const (
	tbBase  = "0c3wblg3mw6skwl8a9gs6hq4xk4dn3wn-testbuilder"
	outBase = "1ac7ab4shq2p6hn8s93wyryx4g5nkclb-out"
)

// sandboxFixture is a host directory with a fake store holding the test
// builder, and a spec that runs it.
type sandboxFixture struct {
	host, store string
	spec        *sandboxSpec
	log         *bytes.Buffer
}

func newSandboxFixture(t testing.TB, args ...string) *sandboxFixture {
	t.Helper()
	testutil.RequireRoot(t)
	tb := testBuilder(t)
	f := &sandboxFixture{host: t.TempDir(), log: &bytes.Buffer{}}
	f.store = filepath.Join(f.host, "store")
	bin := filepath.Join(f.store, tbBase, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(tb)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "testbuilder"), b, 0o555); err != nil {
		t.Fatal(err)
	}
	build := filepath.Join(f.host, "build")
	if err := os.Mkdir(build, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(build, BuildUID, BuildGID); err != nil {
		t.Fatal(err)
	}
	f.spec = &sandboxSpec{
		Root:     filepath.Join(f.host, "root"),
		BuildDir: build,
		Inputs:   map[string]string{"/nix/store/" + tbBase: filepath.Join(f.store, tbBase)},
		Builder:  "/nix/store/" + tbBase + "/bin/testbuilder",
		Args:     append([]string{"mkdir", "$out", "report", "$out/report"}, args...),
		Env:      []string{"out=/nix/store/" + outBase, "PATH=/path-not-set"},
		UID:      BuildUID,
		GID:      BuildGID,
		Hostname: "localhost",
		Log:      f.log,
	}
	return f
}

func (f *sandboxFixture) run(t *testing.T) (report string, err error) {
	t.Helper()
	err = runSandbox(context.Background(), f.spec)
	b, _ := os.ReadFile(filepath.Join(f.spec.Root, "nix/store", outBase, "report"))
	t.Logf("log:\n%s\nreport:\n%s", f.log, b)
	return string(b), err
}

// listen starts a TCP server in the host's network namespace.
func listen(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return l.Addr().String()
}

func TestSandboxIsolation(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("s"), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := listen(t)
	f := newSandboxFixture(t,
		"probe-id",
		"probe-read", "/etc/hostname",
		"probe-read", secret,
		"probe-read", "/etc/passwd",
		"probe-read", "/dev/urandom",
		"probe-read", "/proc/self/status",
		"probe-dial", addr,
		"probe-write", "/nix/store/"+tbBase+"/bin/new",
		"probe-write", "/nix/store/"+tbBase+"/bin/testbuilder",
		"probe-write", "/etc/new",
		"probe-write", "/build/new",
		"probe-write", "/tmp/new",
		"probe-ls", "/nix/store",
		"probe-ls", "/dev",
		"probe-ls", "/",
	)
	report, err := f.run(t)
	if err != nil {
		t.Fatalf("runSandbox: %v", err)
	}
	want := []string{
		fmt.Sprintf("probe-id : ok uid=%d gid=%d pid=1 host=localhost cwd=/build", BuildUID, BuildGID),
		"probe-read /etc/hostname: error",
		"probe-read " + secret + ": error",
		"probe-read /etc/passwd: ok",
		"probe-read /dev/urandom: ok",
		"probe-read /proc/self/status: ok",
		"probe-dial " + addr + ": error",
		"probe-write /nix/store/" + tbBase + "/bin/new: error",
		"probe-write /nix/store/" + tbBase + "/bin/testbuilder: error",
		"probe-write /etc/new: error",
		"probe-write /build/new: ok",
		"probe-write /tmp/new: ok",
		"probe-ls /nix/store: ok " + tbBase + " " + outBase,
		"probe-ls /dev: ok fd full null ptmx pts random shm stderr stdin stdout tty urandom zero",
		"probe-ls /: ok build dev etc nix proc tmp",
	}
	if got := strings.Split(strings.TrimSpace(report), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("report:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if _, err := os.Stat(filepath.Join(f.host, "build/new")); err != nil {
		t.Errorf("file written to /build is not in the build directory: %v", err)
	}
}

func TestSandboxNetwork(t *testing.T) {
	addr := listen(t)
	f := newSandboxFixture(t, "probe-dial", addr)
	f.spec.Network = true
	report, err := f.run(t)
	if err != nil {
		t.Fatalf("runSandbox: %v", err)
	}
	if want := "probe-dial " + addr + ": ok\n"; report != want {
		t.Errorf("report = %q, want %q", report, want)
	}
}

func TestSandboxFailures(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		edit    func(*sandboxSpec)
		check   func(error) bool
		wantErr string
	}{
		{"exit code", []string{"echo", "hello", "exit", "3"}, nil,
			func(err error) bool { var e *ExitError; return errors.As(err, &e) && e.Code == 3 }, "exit code 3"},
		{"timeout", []string{"sleep", "30"}, func(s *sandboxSpec) { s.Timeout = 300 * time.Millisecond },
			func(err error) bool { var e *TimeoutError; return errors.As(err, &e) }, "timed out"},
		{"missing builder", nil, func(s *sandboxSpec) { s.Builder = "/nix/store/" + tbBase + "/bin/none" },
			func(err error) bool { return true }, "executing builder"},
		{"missing input", nil, func(s *sandboxSpec) { s.Inputs["/nix/store/"+outBase] = "/nonexistent" },
			func(err error) bool { return true }, "mount inputs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newSandboxFixture(t, tt.args...)
			if tt.edit != nil {
				tt.edit(f.spec)
			}
			start := time.Now()
			_, err := f.run(t)
			if err == nil || !tt.check(err) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("runSandbox error = %v, want one containing %q", err, tt.wantErr)
			}
			if time.Since(start) > 20*time.Second {
				t.Errorf("the sandbox outlived its timeout")
			}
		})
	}
}

func TestSandboxLog(t *testing.T) {
	f := newSandboxFixture(t, "echo", "hello from $out")
	if _, err := f.run(t); err != nil {
		t.Fatal(err)
	}
	if want := "hello from /nix/store/" + outBase + "\n"; f.log.String() != want {
		t.Errorf("log = %q, want %q", f.log.String(), want)
	}
}
