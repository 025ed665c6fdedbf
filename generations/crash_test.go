package generations

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestMain doubles as the child process of TestCrashSafety: with
// $FRAZIL_TEST_PROFILE set it only sets that profile to $FRAZIL_TEST_TARGET.
func TestMain(m *testing.M) {
	if prof := os.Getenv("FRAZIL_TEST_PROFILE"); prof != "" {
		p, _ := Open(prof, "")
		if _, _, err := p.Set(os.Getenv("FRAZIL_TEST_TARGET")); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func runSetChild(t *testing.T, profile, target, fault string) error {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "FRAZIL_TEST_PROFILE="+profile, "FRAZIL_TEST_TARGET="+target,
		"FRAZIL_FAULTPOINT="+fault)
	out, err := cmd.CombinedOutput()
	if err != nil && !strings.Contains(err.Error(), "killed") {
		t.Fatalf("child: %v\n%s", err, out)
	}
	return err
}

// TestCrashSafety kills a `Set` at every faultpoint and checks that the
// profile still points at a complete generation (the old or the new one),
// and that the next Set works.
func TestCrashSafety(t *testing.T) {
	points := []string{"generations.symlink.tmp:1", "generations.link.created", "generations.switch.begin",
		"generations.symlink.tmp:2", "generations.switch.done"}
	for _, fp := range points {
		t.Run(fp, func(t *testing.T) {
			p := newProfile(t)
			mustSet(t, p, pathA)
			err := runSetChild(t, p.Path, pathB, fp)
			if ee, ok := err.(*exec.ExitError); !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("child was not killed at %s: %v", fp, err)
			}
			cur, err := p.Current()
			if err != nil {
				t.Fatalf("after crash: %v", err)
			}
			if cur.Target != pathA && cur.Target != pathB {
				t.Errorf("after crash the profile points at %q", cur.Target)
			}
			if fp == "generations.switch.done" && cur.Target != pathB {
				t.Errorf("crash after the switch: profile at %q, want %q", cur.Target, pathB)
			}
			g := mustSet(t, p, pathC)
			if g.Target != pathC || !g.Current {
				t.Errorf("Set after crash = %+v", g)
			}
		})
	}
}
