package main

// frazil etc build: the builder of a system's etc tree (system.build.etc).

import (
	"flag"
	"fmt"
	"os"

	"github.com/frazil/frazil/rootfs/etctree"
)

var etcCommand = command{"build a system's etc tree (run as a derivation's builder)", runEtc}

func runEtc(args []string) error {
	if len(args) == 0 || args[0] != "build" {
		fmt.Fprintln(os.Stderr, "usage: frazil etc build [--attrs FILE]")
		return errUsage
	}
	fs := flag.NewFlagSet("etc build", flag.ContinueOnError)
	attrs := attrsFlag(fs)
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 0 {
		return errUsage
	}
	var spec struct {
		Entries []etctree.Entry `json:"entries"`
	}
	out, err := readDrvAttrs(*attrs, &spec)
	if err != nil {
		return err
	}
	return etctree.Build(out, spec.Entries)
}
