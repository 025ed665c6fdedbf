package builder

// This file defines what a sandboxed build is given. The Linux
// implementation (sandbox_linux.go, sandboxinit_linux.go) runs it in fresh
// namespaces; other systems cannot build.

import (
	"fmt"
	"io"
	"time"
)

// The build user and group that builders run as, like Nix's nixbld1.
const (
	BuildUID = 30001
	BuildGID = 30000
)

// sandboxBuildDir is where the build directory appears inside the sandbox.
const sandboxBuildDir = "/build"

// sandboxSpec describes one sandboxed build. The parent prepares Root (a
// directory tree that becomes "/": empty mount points, /etc files, the
// scratch store directory) and BuildDir; the sandbox init, running in the
// new namespaces, does the mounts and execs the builder.
type sandboxSpec struct {
	Root     string            // host directory that becomes "/"
	BuildDir string            // host directory mounted at /build
	Inputs   map[string]string // logical store path -> host path, bind-mounted read-only
	Extra    map[string]string // sandbox path -> host path, read-only (sandbox-paths)
	Builder  string
	Args     []string
	Env      []string
	Network  bool // keep the host network (fixed-output derivations)
	UID, GID int
	Hostname string

	Log     io.Writer     `json:"-"` // the builder's stdout and stderr
	Timeout time.Duration `json:"-"` // 0: none
}

// sandboxEnvVar marks a process started as the sandbox init.
const sandboxEnvVar = "FRAZIL_SANDBOX_INIT"

// ExitError is a builder's non-zero exit status.
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("failed with exit code %d", e.Code) }

// TimeoutError is returned for a builder that ran longer than allowed.
type TimeoutError struct{ After time.Duration }

func (e *TimeoutError) Error() string { return fmt.Sprintf("timed out after %v", e.After) }
