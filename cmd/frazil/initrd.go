package main

// frazil initrd build: the builder of a system's initrd
// (system.build.initrd); see package rootfs/initrd.

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/frazil/frazil/init/stage1"
	"github.com/frazil/frazil/rootfs/initrd"
)

var initrdCommand = command{"build an initrd (run as a derivation's builder)", runInitrd}

// initrdAttrs are the initrd derivation's structured attributes.
type initrdAttrs struct {
	Stage1      string   `json:"stage1"`     // the stage-1 binary
	ModulesDir  string   `json:"modulesDir"` // the kernel's lib/modules/<version>
	Modules     []string `json:"modules"`    // names or aliases; their closure is included
	Compression string   `json:"compression"`
	// Stage1Config holds stage1.json's fields other than kernelVersion
	// and modules, which are computed here; missing ones keep stage 1's
	// defaults.
	Stage1Config json.RawMessage `json:"stage1Config"`
}

func runInitrd(args []string) error {
	if len(args) == 0 || args[0] != "build" {
		fmt.Fprintln(os.Stderr, "usage: frazil initrd build [--attrs FILE]")
		return errUsage
	}
	fs := flag.NewFlagSet("initrd build", flag.ContinueOnError)
	attrs := attrsFlag(fs)
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 0 {
		return errUsage
	}
	var a initrdAttrs
	out, err := readDrvAttrs(*attrs, &a)
	if err != nil {
		return err
	}
	cfg := stage1.DefaultConfig()
	if len(a.Stage1Config) > 0 {
		if cfg, err = stage1.ParseConfig(a.Stage1Config); err != nil {
			return err
		}
	}
	if err := os.Mkdir(out, 0o755); err != nil {
		return err
	}
	return initrd.BuildFile(filepath.Join(out, "initrd"), initrd.Options{
		Stage1: a.Stage1, ModulesDir: a.ModulesDir, Modules: a.Modules, Config: cfg, Compression: a.Compression,
	})
}
