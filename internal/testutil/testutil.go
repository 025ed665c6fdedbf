// Package testutil holds helpers shared by the project's tests.
//
// Tests that need an outside program (the reference Nix, QEMU, e2fsck…) call
// RequireTool. Under `make test` the environment variable FRAZIL_STRICT=1 is
// set and a missing tool fails the test loudly; in a developer's plain
// `go test ./...` it skips with a message naming the tool and how to get it.
package testutil

import (
	"os"
	"os/exec"
	"testing"
)

// Strict reports whether missing prerequisites must fail tests rather than
// skip them (FRAZIL_STRICT=1, set by `make test` and CI).
func Strict() bool { return os.Getenv("FRAZIL_STRICT") == "1" }

// RequireTool returns the absolute path of the program name, or stops the
// test: with t.Fatalf under FRAZIL_STRICT=1, t.Skipf otherwise. hint says how
// to install it ("apt-get install nix-bin", "make setup").
func RequireTool(t testing.TB, name, hint string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	Missing(t, "%s not found in PATH (%s)", name, hint)
	return ""
}

// Missing stops the test because a prerequisite is absent: t.Fatalf under
// FRAZIL_STRICT=1, t.Skipf otherwise.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if Strict() {
		t.Fatalf("missing prerequisite: "+format, args...)
	}
	t.Skipf("missing prerequisite (set up with `make setup`): "+format, args...)
}

// RequireRoot stops the test unless it runs as root.
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		Missing(t, "test needs root (namespaces, mounts)")
	}
}
