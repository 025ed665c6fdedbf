package main

// frazil kernel unpack: the builder of a kernel tree from a Debian
// linux-image .deb (pkgs/os/kernel.nix); see package kernel.

import (
	"flag"
	"fmt"
	"os"

	"github.com/frazil/frazil/kernel"
)

func kernelUnpack(args []string) error {
	fs := flag.NewFlagSet("kernel unpack", flag.ContinueOnError)
	arch := fs.String("arch", "amd64", "Debian architecture of the package (amd64, arm64, i386)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 2 {
		fmt.Fprintln(os.Stderr, "usage: frazil kernel unpack [--arch ARCH] PACKAGE.deb OUT")
		return errUsage
	}
	t, err := kernel.Import(fs.Arg(0), *arch, fs.Arg(1))
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "kernel %s: %s (%s)\n", t.Version, t.StorePath, t.NarHash)
	return nil
}
