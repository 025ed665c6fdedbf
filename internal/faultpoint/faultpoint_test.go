package faultpoint

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestChild is the body run in a child process by TestKill.
func TestChild(t *testing.T) {
	if os.Getenv("FAULTPOINT_CHILD") != "1" {
		t.Skip("run as a child of TestKill")
	}
	Hit("a")
	Hit("b")
	Hit("b")
	os.Exit(0)
}

func TestKill(t *testing.T) {
	tests := []struct {
		spec     string
		killed   bool
		wantLogs string
	}{
		{"", false, "a b b"},
		{"a", true, "a"},
		{"b:2", true, "a b b"},
		{"b:3", false, "a b b"},
	}
	for _, tt := range tests {
		log := filepath.Join(t.TempDir(), "log")
		cmd := exec.Command(os.Args[0], "-test.run=^TestChild$")
		cmd.Env = append(os.Environ(), "FAULTPOINT_CHILD=1", "FRAZIL_FAULTPOINT="+tt.spec, "FRAZIL_FAULTPOINT_LOG="+log)
		err := cmd.Run()
		killed := false
		if ee, ok := err.(*exec.ExitError); ok {
			ws := ee.Sys().(syscall.WaitStatus)
			killed = ws.Signaled() && ws.Signal() == syscall.SIGKILL
		} else if err != nil {
			t.Fatal(err)
		}
		if killed != tt.killed {
			t.Errorf("spec %q: killed = %v, want %v", tt.spec, killed, tt.killed)
		}
		b, _ := os.ReadFile(log)
		if got := strings.Join(strings.Fields(string(b)), " "); got != tt.wantLogs {
			t.Errorf("spec %q: hits = %q, want %q", tt.spec, got, tt.wantLogs)
		}
	}
}
