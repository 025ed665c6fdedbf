package builder

// This file defines the parent side of a sandboxed build: it prepares the
// root directory, starts this same executable as the sandbox init in new
// mount, PID, IPC, UTS and (unless the build may use the network) network
// namespaces, hands it the spec, and waits for the builder.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
)

// etcFiles are the minimal /etc of a sandbox, as Nix writes them.
var etcFiles = map[string]string{
	"passwd": fmt.Sprintf("root:x:0:0:Nix build user:%[3]s:/noshell\nnixbld:x:%[1]d:%[2]d:Nix build user:%[3]s:/noshell\nnobody:x:65534:65534:Nobody:/:/noshell\n",
		BuildUID, BuildGID, sandboxBuildDir),
	"group": fmt.Sprintf("root:x:0:\nnixbld:!:%d:\nnogroup:x:65534:\n", BuildGID),
	"hosts": "127.0.0.1 localhost\n::1 localhost\n",
}

// networkEtcFiles are copied from the host for builds with network access.
var networkEtcFiles = []string{"resolv.conf", "services"}

// prepareRoot creates the skeleton of the sandbox's root file system: the
// scratch store directory where the outputs appear, /etc, /tmp and the
// mount points the init fills.
func prepareRoot(spec *sandboxSpec) error {
	store := filepath.Join(spec.Root, "nix/store")
	for _, d := range []string{store, filepath.Join(spec.Root, "etc"), filepath.Join(spec.Root, "tmp")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return fmt.Errorf("could not start: prepare sandbox: %w", err)
		}
	}
	// The builder may create its outputs (and only scratch files besides)
	// in the store directory; the sticky bit keeps it from removing
	// anything it did not create.
	if err := os.Chown(store, 0, spec.GID); err != nil {
		return fmt.Errorf("could not start: prepare sandbox: %w", err)
	}
	if err := os.Chmod(store, 0o1775); err != nil {
		return fmt.Errorf("could not start: prepare sandbox: %w", err)
	}
	if err := os.Chmod(filepath.Join(spec.Root, "tmp"), 0o1777); err != nil {
		return fmt.Errorf("could not start: prepare sandbox: %w", err)
	}
	for name, content := range etcFiles {
		if err := os.WriteFile(filepath.Join(spec.Root, "etc", name), []byte(content), 0o444); err != nil {
			return fmt.Errorf("could not start: prepare sandbox: %w", err)
		}
	}
	if spec.Network {
		for _, name := range networkEtcFiles {
			if b, err := os.ReadFile(filepath.Join("/etc", name)); err == nil {
				if err := os.WriteFile(filepath.Join(spec.Root, "etc", name), b, 0o444); err != nil {
					return fmt.Errorf("could not start: prepare sandbox: %w", err)
				}
			}
		}
	}
	return nil
}

// runSandbox runs the builder described by spec and waits for it. The
// error says how the builder failed (exit status, signal, timeout) or why
// the sandbox could not be set up.
func runSandbox(ctx context.Context, spec *sandboxSpec) error {
	if os.Geteuid() != 0 {
		return fmt.Errorf("could not start: sandboxed builds need root (mount and PID namespaces)")
	}
	if err := prepareRoot(spec); err != nil {
		return err
	}
	specR, specW, err := os.Pipe()
	if err != nil {
		return fmt.Errorf("could not start: %w", err)
	}
	defer specW.Close()
	errR, errW, err := os.Pipe()
	if err != nil {
		specR.Close()
		return fmt.Errorf("could not start: %w", err)
	}
	defer errR.Close()

	cmd := sandboxCommand(spec, specR, errW)
	err = cmd.Start()
	specR.Close()
	errW.Close()
	if err != nil {
		return fmt.Errorf("could not start: %w", err)
	}
	return waitSandbox(ctx, cmd, spec, specW, errR)
}

// sandboxCommand returns the command that starts the sandbox init: this
// executable, in new namespaces, with the spec on fd 3 and an error pipe
// on fd 4.
func sandboxCommand(spec *sandboxSpec, specR, errW *os.File) *exec.Cmd {
	flags := syscall.CLONE_NEWNS | syscall.CLONE_NEWPID | syscall.CLONE_NEWIPC | syscall.CLONE_NEWUTS
	if !spec.Network {
		flags |= syscall.CLONE_NEWNET
	}
	cmd := &exec.Cmd{
		Path:       "/proc/self/exe",
		Args:       []string{"frazil-sandbox-init"},
		Env:        []string{sandboxEnvVar + "=1"},
		Stdout:     spec.Log,
		Stderr:     spec.Log,
		ExtraFiles: []*os.File{specR, errW},
		SysProcAttr: &syscall.SysProcAttr{
			Cloneflags: uintptr(flags),
			Setsid:     true,
			Pdeathsig:  syscall.SIGKILL,
		},
	}
	if cmd.Stdout == nil {
		cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	}
	return cmd
}

// waitSandbox sends the spec, collects a setup error if the init reports
// one, and waits for the builder, killing it on timeout or cancellation.
// Killing the init (PID 1 of its namespace) kills every process in it.
func waitSandbox(ctx context.Context, cmd *exec.Cmd, spec *sandboxSpec, specW, errR *os.File) error {
	if spec.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, spec.Timeout)
		defer cancel()
	}
	stop := context.AfterFunc(ctx, func() { cmd.Process.Kill() })
	defer stop()

	encErr := json.NewEncoder(specW).Encode(spec)
	specW.Close()
	setupMsg, _ := io.ReadAll(errR)
	waitErr := cmd.Wait()
	switch {
	case len(setupMsg) > 0:
		return fmt.Errorf("could not start: sandbox setup: %s", setupMsg)
	case encErr != nil && waitErr == nil:
		return fmt.Errorf("could not start: sending the sandbox spec: %w", encErr)
	case ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && spec.Timeout > 0:
		return &TimeoutError{spec.Timeout}
	case ctx.Err() != nil:
		return fmt.Errorf("was stopped: %w", ctx.Err())
	}
	return exitError(waitErr)
}

// exitError describes how a builder ended, or returns nil if it succeeded.
func exitError(err error) error {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return err
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	switch {
	case ok && ws.Signaled():
		return fmt.Errorf("was killed by signal %d (%v)", ws.Signal(), ws.Signal())
	case ok:
		return &ExitError{Code: ws.ExitStatus()}
	}
	return err
}
