package builder

// This file defines how a builder is started: builtin builders run in
// this process, every other one in the sandbox.

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/frazil/frazil/store/storepath"
)

func isBuiltin(builder string) bool { return strings.HasPrefix(builder, "builtin:") }

// runBuilder runs n's builder with its outputs going to bd and its log to
// the log file (and Options.LogTo).
func (b *Builder) runBuilder(ctx context.Context, n *node, bd *buildDir, inputs []storepath.Path) error {
	logf, err := b.openLog(n)
	if err != nil {
		return err
	}
	defer logf.Close()
	var log io.Writer = logf
	if b.opts.LogTo != nil {
		pw := newPrefixWriter(b.opts.LogTo, n.name())
		defer pw.Flush()
		log = io.MultiWriter(logf, pw)
	}
	if isBuiltin(n.drv.Builder) {
		if b.opts.Timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, b.opts.Timeout)
			defer cancel()
		}
		return b.runBuiltin(ctx, n, bd, log)
	}
	spec, err := b.sandboxSpec(n, bd, inputs)
	if err != nil {
		return err
	}
	spec.Log = log
	return runSandbox(ctx, spec)
}

// sandboxSpec describes n's build for the sandbox.
func (b *Builder) sandboxSpec(n *node, bd *buildDir, inputs []storepath.Path) (*sandboxSpec, error) {
	env, err := b.builderEnv(n, bd)
	if err != nil {
		return nil, err
	}
	if err := os.Chown(bd.build, BuildUID, BuildGID); err != nil {
		return nil, fmt.Errorf("could not start: %w", err)
	}
	mounts := make(map[string]string, len(inputs))
	for _, p := range inputs {
		mounts[string(p)] = b.store.RealPath(p)
	}
	return &sandboxSpec{
		Root:     bd.root,
		BuildDir: bd.build,
		Inputs:   mounts,
		Extra:    b.opts.SandboxPaths,
		Builder:  n.drv.Builder,
		Args:     rewriteArgs(n, n.drv.Args),
		Env:      env,
		Network:  n.drv.IsFixedOutput(),
		UID:      BuildUID,
		GID:      BuildGID,
		Hostname: "localhost",
		Timeout:  b.opts.Timeout,
	}, nil
}

// runBuiltin runs one of the builders built into Nix.
func (b *Builder) runBuiltin(ctx context.Context, n *node, bd *buildDir, log io.Writer) error {
	var err error
	switch n.drv.Builder {
	case "builtin:fetchurl":
		err = b.fetchurl(ctx, n, bd, log)
	case "builtin:buildenv":
		err = b.buildenv(n, bd, log)
	case "builtin:frazil-fetchzip":
		err = b.fetchzip(ctx, n, bd, log)
	case "builtin:frazil-gomodproxy":
		err = b.gomodproxy(ctx, n, bd, log)
	default:
		return fmt.Errorf("could not start: unsupported builtin builder '%s'", n.drv.Builder)
	}
	if err != nil {
		fmt.Fprintf(log, "error: %v\n", err)
		if errors.Is(ctx.Err(), context.DeadlineExceeded) && b.opts.Timeout > 0 {
			return &TimeoutError{b.opts.Timeout}
		}
		return fmt.Errorf("failed: %w", err)
	}
	return nil
}
