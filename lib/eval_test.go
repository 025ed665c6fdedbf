package lib

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frazil/frazil/internal/testutil"
)

// evalTimeout bounds one evaluation; the module cases take well under a
// second each.
const evalTimeout = 2 * time.Minute

var (
	storeOnce sync.Once
	storeDir  string
	storeErr  error
)

// TestMain removes the chroot store the reference evaluator used.
func TestMain(m *testing.M) {
	code := m.Run()
	if storeDir != "" {
		os.RemoveAll(storeDir)
	}
	os.Exit(code)
}

// evaluator returns the command line that evaluates Nix expressions like
// nix-instantiate: $FRAZIL_NIX_EVAL split into words, else nix-instantiate
// with a private chroot store (so that /nix is never touched).
func evaluator(t testing.TB) []string {
	t.Helper()
	if cmd := strings.Fields(os.Getenv("FRAZIL_NIX_EVAL")); len(cmd) > 0 {
		return cmd
	}
	path := testutil.RequireTool(t, "nix-instantiate", "make setup")
	storeOnce.Do(func() { storeDir, storeErr = os.MkdirTemp("", "frazil-lib-store-") })
	if storeErr != nil {
		t.Fatalf("create chroot store: %v", storeErr)
	}
	return []string{path, "--store", storeDir}
}

// evalResult is what one evaluation printed.
type evalResult struct {
	stdout, stderr string
	err            error // non-nil when the evaluator failed
}

// evalNix runs the evaluator in dir with the given arguments.
func evalNix(t testing.TB, dir string, args ...string) evalResult {
	t.Helper()
	cmdline := append(evaluator(t), args...)
	ctx, cancel := context.WithTimeout(context.Background(), evalTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, cmdline[0], cmdline[1:]...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	return evalResult{stdout: strings.TrimSpace(stdout.String()), stderr: stderr.String(), err: err}
}

// testDir returns the absolute path of a directory under lib/tests.
func testDir(t testing.TB, elem ...string) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join(append([]string{"tests"}, elem...)...))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
