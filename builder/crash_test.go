package builder

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// crashChildEnv names the store a child process realises in; the
// derivations are in crashDrvsEnv.
const (
	crashChildEnv = "FRAZIL_CRASH_STORE"
	crashDrvsEnv  = "FRAZIL_CRASH_DRVS"
)

// crashChild is the body of the child process the crash tests kill.
func crashChild() int {
	s, err := store.Open(os.Getenv(crashChildEnv))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	var drvs []storepath.Path
	for _, f := range strings.Fields(os.Getenv(crashDrvsEnv)) {
		drvs = append(drvs, storepath.Path(f))
	}
	if _, err := New(s, Options{Jobs: 2}).Realise(context.Background(), drvs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// crashGraph makes a chain of n derivations with two outputs each, every
// one referring to the one before.
func crashGraph(e *testEnv, n int, sleep string) []storepath.Path {
	var drvs []storepath.Path
	prev := ""
	for i := 0; i < n; i++ {
		sp := spec{name: fmt.Sprintf("link%d", i), outputs: []string{"out", "dev"},
			args: []string{"sleep", sleep, "mkdir", "$out", "write", "$out/f", "self $out prev $prev", "write", "$dev", "dev of $out"},
			env:  map[string]string{"prev": ""}, inputs: map[string][]string{}}
		if prev != "" {
			sp.inputs[prev] = []string{"out"}
			sp.env["prev"] = string(e.out(storepath.Path(prev)))
		}
		drvs = append(drvs, e.drv(sp))
		prev = string(drvs[i])
	}
	return drvs
}

// runCrashChild realises drvs in a child process with extra environment;
// kill, if set, is called once the child runs. It reports whether the
// child was killed by SIGKILL.
func runCrashChild(t *testing.T, e *testEnv, drvs []storepath.Path, env []string, kill func(*exec.Cmd)) bool {
	t.Helper()
	var names []string
	for _, d := range drvs {
		names = append(names, string(d))
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+e.s.Root(), crashDrvsEnv+"="+strings.Join(names, " "))
	cmd.Env = append(cmd.Env, env...)
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	if kill != nil {
		kill(cmd)
	}
	err := cmd.Wait()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return true
		}
	}
	if err != nil {
		t.Fatalf("child: %v\n%s", err, stderr.String())
	}
	return false
}

// checkConsistent checks what a crash may leave: every valid path complete
// and intact, and the outputs of each derivation all valid or all invalid.
func checkConsistent(t *testing.T, e *testEnv, drvs []storepath.Path) {
	t.Helper()
	rep, err := e.s.Verify(true)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Missing)+len(rep.Corrupt)+len(rep.Dangling) > 0 {
		t.Errorf("store inconsistent after a crash: missing %v, corrupt %v, dangling %v", rep.Missing, rep.Corrupt, rep.Dangling)
	}
	for _, d := range drvs {
		outs := e.outputs(d)
		out, _ := e.s.IsValid(outs["out"])
		dev, _ := e.s.IsValid(outs["dev"])
		if out != dev {
			t.Errorf("%s half registered: out valid %v, dev valid %v", d, out, dev)
		}
	}
}

// checkFinished realises drvs in this process after a crash and checks
// the result.
func checkFinished(t *testing.T, e *testEnv, drvs []storepath.Path) {
	t.Helper()
	if _, _, err := e.realise(Options{}, drvs...); err != nil {
		t.Fatalf("Realise after the crash: %v", err)
	}
	for i, d := range drvs {
		outs := e.outputs(d)
		if got, want := e.read(outs["dev"], ""), "dev of "+string(outs["out"]); got != want {
			t.Errorf("link%d dev = %q, want %q", i, got, want)
		}
	}
	rep, err := e.s.Verify(true)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Missing)+len(rep.Corrupt)+len(rep.Dangling)+len(rep.Unregistered) > 0 {
		t.Errorf("store after recovery: %+v", rep)
	}
}

// TestCrashFaultPoints kills a build at every fault point it passes (the
// builder's and the store's) and checks that the store is consistent and
// that the next run finishes the work.
func TestCrashFaultPoints(t *testing.T) {
	e := newTestEnv(t)
	drvs := crashGraph(e, 2, "0")
	hitLog := filepath.Join(t.TempDir(), "hits")
	if runCrashChild(t, e, drvs, []string{"FRAZIL_FAULTPOINT_LOG=" + hitLog}, nil) {
		t.Fatal("child killed without a fault point")
	}
	b, _ := os.ReadFile(hitLog)
	var points []string
	seen := map[string]int{}
	for _, name := range strings.Fields(string(b)) {
		seen[name]++
		points = append(points, fmt.Sprintf("%s:%d", name, seen[name]))
	}
	if seen[fpMoved] != 4 || seen[fpRegistered] != 2 {
		t.Fatalf("fault points hit: %v, want 4 moves and 2 registrations", points)
	}
	for _, point := range points {
		t.Run(point, func(t *testing.T) {
			e := newTestEnv(t)
			drvs := crashGraph(e, 2, "0")
			if !runCrashChild(t, e, drvs, []string{"FRAZIL_FAULTPOINT=" + point}, nil) {
				t.Fatalf("child was not killed at %s", point)
			}
			checkConsistent(t, e, drvs)
			checkFinished(t, e, drvs)
		})
	}
}

// TestCrashRandom kills builds at random times, again and again on one
// store, checking consistency after each kill.
func TestCrashRandom(t *testing.T) {
	e := newTestEnv(t)
	drvs := crashGraph(e, 4, "0.25")
	rng := rand.New(rand.NewPCG(1, 2))
	kills := 0
	for i := 0; i < 12; i++ {
		delay := time.Duration(rng.IntN(500)) * time.Millisecond
		killed := runCrashChild(t, e, drvs, nil, func(cmd *exec.Cmd) {
			time.Sleep(delay)
			cmd.Process.Kill()
		})
		if killed {
			kills++
		}
		checkConsistent(t, e, drvs)
		if !killed {
			break // everything got built
		}
	}
	t.Logf("%d kills", kills)
	if kills == 0 {
		t.Errorf("no child was killed mid-build")
	}
	checkFinished(t, e, drvs)
}
