package main

// frazil toplevel build: the builder of a system's toplevel
// (system.build.toplevel); see package rootfs/toplevel.

import (
	"flag"
	"fmt"
	"os"

	"github.com/frazil/frazil/rootfs/toplevel"
)

var toplevelCommand = command{"assemble a system's toplevel (run as a derivation's builder)", runToplevel}

func runToplevel(args []string) error {
	if len(args) == 0 || args[0] != "build" {
		fmt.Fprintln(os.Stderr, "usage: frazil toplevel build [--attrs FILE]")
		return errUsage
	}
	fs := flag.NewFlagSet("toplevel build", flag.ContinueOnError)
	attrs := attrsFlag(fs)
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 0 {
		return errUsage
	}
	var spec toplevel.Spec
	out, err := readDrvAttrs(*attrs, &spec)
	if err != nil {
		return err
	}
	return toplevel.Build(out, &spec)
}
