package vm

import (
	"errors"
	"io"
	"os/exec"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestCommandLine(t *testing.T) {
	tests := []struct {
		name    string
		o       Options
		want    []string // must appear, in order
		absent  []string
		wantErr string
	}{
		{"bios defaults", Options{Name: "a", Image: "/d.img"},
			[]string{"-m", "512", "-machine", "q35", "-drive", "file=/d.img,format=raw,if=virtio"},
			[]string{"if=pflash", "-no-reboot"}, ""},
		{"uefi gets firmware and a private vars copy", Options{Name: "b", Image: "/d.img", Firmware: UEFI, Memory: 256},
			[]string{"-m", "256", "if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd",
				"if=pflash,format=raw,unit=1,file=/vmdir/efivars.fd"}, nil, ""},
		{"snapshot, no-reboot and extra args", Options{Name: "c", Image: "/d.img", Snapshot: true, NoReboot: true, ExtraArgs: []string{"-smp", "2"}},
			[]string{"file=/d.img,format=raw,if=virtio,snapshot=on", "-no-reboot", "-smp", "2"}, nil, ""},
		{"aarch64 needs uefi", Options{Image: "/d.img", Arch: "aarch64"}, nil, nil, "vm: aarch64 boots with UEFI only"},
		{"unknown arch", Options{Image: "/d.img", Arch: "mips"}, nil, nil, `vm: unsupported architecture "mips"`},
		{"no image", Options{}, nil, nil, "vm: no image"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CommandLine(tt.o, "tcg", "/vmdir")
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			joined := "\x00" + strings.Join(got, "\x00") + "\x00"
			if !inOrder(got, tt.want) {
				t.Errorf("args %q lack %q in this order", got, tt.want)
			}
			for _, a := range tt.absent {
				if strings.Contains(joined, a) {
					t.Errorf("args %q contain %q", got, a)
				}
			}
			for _, must := range []string{"-serial\x00stdio", "-display\x00none", "-accel\x00tcg", "unix:/vmdir/qmp.sock,server=on,wait=off"} {
				if !strings.Contains(joined, must) {
					t.Errorf("args %q lack %q", got, must)
				}
			}
		})
	}
}

func TestStripANSI(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\x1b[0m\x1b[30m\x1b[47mWelcome\x1b[5;3H*Frazil\r\n", "Welcome*Frazil\n"},
		{"\x1b[?25lplain", "plain"},
		{"no escapes", "no escapes"},
	}
	for _, tt := range tests {
		if got := StripANSI(tt.in); got != tt.want {
			t.Errorf("StripANSI(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestConsoleExpect(t *testing.T) {
	pr, pw := io.Pipe()
	var logged []string
	c := newConsole(io.Discard, nil, func(f string, a ...any) { logged = append(logged, a[0].(string)) })
	go c.feed(pr)
	go func() {
		io.WriteString(pw, "boot \x1b[1mstage\x1b[0m one\r\n")
		time.Sleep(20 * time.Millisecond)
		io.WriteString(pw, "value=42\nvalue=43\n")
		pw.Close()
	}()
	m, err := c.Expect(regexp.MustCompile(`stage one`), 5*time.Second)
	if err != nil || m[0] != "stage one" {
		t.Fatalf("Expect = %q, %v", m, err)
	}
	m, err = c.Expect(regexp.MustCompile(`value=(\d+)`), 5*time.Second)
	if err != nil || m[1] != "42" {
		t.Fatalf("Expect = %q, %v; want 42", m, err)
	}
	// the position moved past 42: the next match is 43
	m, err = c.Expect(regexp.MustCompile(`value=(\d+)`), 5*time.Second)
	if err != nil || m[1] != "43" {
		t.Fatalf("Expect = %q, %v; want 43", m, err)
	}
	if _, err := c.Expect(regexp.MustCompile(`never`), time.Second); err == nil || !strings.Contains(err.Error(), "console closed") {
		t.Errorf("Expect after EOF = %v, want console closed", err)
	}
	if want := []string{"boot stage one", "value=42", "value=43"}; !reflect.DeepEqual(logged, want) {
		t.Errorf("logged %q, want %q", logged, want)
	}
}

func TestConsoleExpectTimeout(t *testing.T) {
	pr, _ := io.Pipe()
	c := newConsole(io.Discard, nil, nil)
	go c.feed(pr)
	start := time.Now()
	_, err := c.Expect(regexp.MustCompile(`login:`), 200*time.Millisecond)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("Expect = %v, want a timeout", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("timeout took %s", time.Since(start))
	}
}

// shellVM runs /bin/sh in place of QEMU so Run's protocol can be tested.
func shellVM(t *testing.T) *VM {
	t.Helper()
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh")
	}
	v := &VM{t: t, name: "sh", dir: t.TempDir(), done: make(chan struct{}), argv: []string{sh}}
	if err := v.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Kill)
	return v
}

func TestRun(t *testing.T) {
	v := shellVM(t)
	tests := []struct {
		cmd    string
		out    string
		status int
	}{
		{"echo hello", "hello\n", 0},
		{"printf 'a\\nb\\n'; exit_code() { return 3; }; exit_code", "a\nb\n", 3},
		{"false", "", 1},
		{"echo FZE9 0", "FZE9 0\n", 0}, // output that looks like another run's marker
	}
	for _, tt := range tests {
		out, status, err := v.Run(tt.cmd, 10*time.Second)
		if err != nil {
			t.Fatalf("Run(%q): %v", tt.cmd, err)
		}
		if out != tt.out || status != tt.status {
			t.Errorf("Run(%q) = %q, %d; want %q, %d", tt.cmd, out, status, tt.out, tt.status)
		}
	}
}

func TestRunTimeoutAndWait(t *testing.T) {
	v := shellVM(t)
	if _, _, err := v.Run("sleep 5", 300*time.Millisecond); !errors.Is(err, ErrTimeout) {
		t.Errorf("Run = %v, want a timeout", err)
	}
	if err := v.Wait(100 * time.Millisecond); !errors.Is(err, ErrTimeout) {
		t.Errorf("Wait on a running process = %v, want a timeout", err)
	}
	v.Kill()
	if err := v.Wait(5 * time.Second); err == nil {
		t.Error("Wait after Kill: no exit error")
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{"-m": "-m", "file=/a b": "'file=/a b'", "it's": `'it'\''s'`, "": "''"} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %q, want %q", in, got, want)
		}
	}
}

// inOrder reports whether want is a subsequence of got.
func inOrder(got, want []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}
