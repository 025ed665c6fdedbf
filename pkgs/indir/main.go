// Command indir runs a command in a directory:
//
//	indir DIR COMMAND [ARG…]
//
// The package set uses it as the builder of derivations that must run a
// program from a Go module's root (gobusybox's makebb finds packages
// with `go list` in the working directory) before any shell exists. It
// uses only the standard library, so it builds with the toolchain alone.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "indir: %v\n", err)
		var ee *exec.ExitError
		if errors.As(err, &ee) && ee.ExitCode() > 0 {
			os.Exit(ee.ExitCode())
		}
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 2 {
		return errors.New("usage: indir DIR COMMAND [ARG…]")
	}
	if err := os.Chdir(args[0]); err != nil {
		return err
	}
	cmd := exec.Command(args[1], args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w", args[1], err)
	}
	return nil
}
