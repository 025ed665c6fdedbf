package main

// frazil rebuild: nixos-rebuild's build and dry-build for Frazil systems.
// It evaluates a configuration with modules/default.nix, writes its
// derivations to the store, and builds config.system.build.toplevel.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"sort"

	"github.com/frazil/frazil/build"
	"github.com/frazil/frazil/builder"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/derivation"
	"github.com/frazil/frazil/store/storepath"
)

var rebuildCommand = command{"build, switch to or package a system configuration (like nixos-rebuild)", runRebuild}

// rebuildOpts are frazil rebuild's flags.
type rebuildOpts struct {
	sysOpts
	out       string
	storeDir  string
	jobs      int
	keepGoing bool
	printLogs bool
}

func runRebuild(args []string) error {
	tuneGC()
	if len(args) > 0 && deployActions[args[0]] {
		return runRebuildDeploy(args[0], args[1:]) // rebuild_image.go
	}
	if len(args) == 0 || (args[0] != "build" && args[0] != "dry-build") {
		fmt.Fprintln(os.Stderr, "usage: frazil rebuild build|dry-build [--file configuration.nix] [-I NAME=PATH] [--system S] [-o LINK] [--store DIR]")
		fmt.Fprintln(os.Stderr, "       frazil rebuild switch|boot|test|build-image|build-vm [--file configuration.nix | --toplevel PATH] [flags] (-h for them)")
		return errUsage
	}
	action := args[0]
	var o rebuildOpts
	fs := flag.NewFlagSet("rebuild "+action, flag.ContinueOnError)
	o.register(fs)
	fs.StringVar(&o.out, "o", "result", "the symlink to the built toplevel (an indirect GC root)")
	fs.StringVar(&o.storeDir, "store", "/", "root directory of the store (the store is DIR/nix/store)")
	fs.IntVar(&o.jobs, "j", 1, "number of builds to run in parallel")
	fs.BoolVar(&o.keepGoing, "k", false, "keep building what does not depend on a failed build")
	fs.BoolVar(&o.printLogs, "L", false, "print the build logs on stderr")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	if fs.NArg() != 0 {
		fmt.Fprintf(os.Stderr, "frazil rebuild: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	return o.run(action, os.Stdout, os.Stderr)
}

func (o *rebuildOpts) run(action string, stdout, stderr io.Writer) error {
	s, err := store.Open(o.storeDir)
	if err != nil {
		return err
	}
	defer s.Close()
	drv, err := o.instantiate(s, stderr)
	if err != nil {
		return err
	}
	if action == "dry-build" {
		return dryBuild(s, drv, stdout, stderr)
	}
	top, err := o.build(s, drv)
	if err != nil {
		return err
	}
	if o.out != "" {
		link, err := filepath.Abs(o.out)
		if err != nil {
			return err
		}
		if err := s.AddPermRoot(top, link); err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout, top)
	return nil
}

// instantiate evaluates the toplevel and writes its derivations.
func (o *rebuildOpts) instantiate(s *store.Store, stderr io.Writer) (storepath.Path, error) {
	ev, v, err := o.evalConfig(&build.StoreAdapter{Store: s}, func(sys, _ string) string { return sys + ".toplevel" }, stderr)
	if err != nil {
		return "", o.reportEvalError(err, stderr)
	}
	drvs, err := ev.Instantiate(v, nil)
	if err != nil {
		return "", o.reportEvalError(err, stderr)
	}
	if len(drvs) != 1 {
		return "", fmt.Errorf("config.system.build.toplevel gave %d derivations, want 1", len(drvs))
	}
	return storepath.Parse(drvs[0])
}

// build realises the toplevel derivation and returns its output.
func (o *rebuildOpts) build(s *store.Store, drv storepath.Path) (storepath.Path, error) {
	opts := builder.Options{Jobs: o.jobs, KeepGoing: o.keepGoing, Progress: showProgress}
	if o.printLogs {
		opts.LogTo = os.Stderr
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := builder.New(s, opts).Realise(ctx, []storepath.Path{drv})
	var be *builder.Error
	if errors.As(err, &be) {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return "", exitError(1)
	} else if err != nil {
		return "", err
	}
	out, ok := res[drv]["out"]
	if !ok {
		return "", fmt.Errorf("building %s gave no output out", drv)
	}
	return out, nil
}

// dryBuild prints the derivations that would be built (those with an
// output missing from the store, and their missing inputs) and the
// toplevel's derivation.
func dryBuild(s *store.Store, drv storepath.Path, stdout, stderr io.Writer) error {
	missing, err := missingDerivations(s, drv)
	if err != nil {
		return err
	}
	if len(missing) == 0 {
		fmt.Fprintln(stderr, "nothing to build: the toplevel is in the store")
	} else {
		fmt.Fprintf(stderr, "these %d derivations will be built:\n", len(missing))
		for _, m := range missing {
			fmt.Fprintf(stderr, "  %s\n", m)
		}
	}
	fmt.Fprintln(stdout, drv)
	return nil
}

// missingDerivations walks the derivation graph from drv and returns, in
// sorted order, the derivations with an output that is not valid.
func missingDerivations(s *store.Store, drv storepath.Path) ([]storepath.Path, error) {
	seen := map[storepath.Path]bool{}
	var missing []storepath.Path
	var visit func(p storepath.Path) error
	visit = func(p storepath.Path) error {
		if seen[p] {
			return nil
		}
		seen[p] = true
		d, err := derivation.ReadFile(s.RealPath(p), p)
		if err != nil {
			return err
		}
		built := true
		for _, out := range d.Outputs {
			ok, err := s.IsValid(storepath.Path(out.Path))
			if err != nil {
				return err
			}
			built = built && ok
		}
		if built {
			return nil
		}
		missing = append(missing, p)
		for in := range d.InputDrvs {
			if err := visit(storepath.Path(in)); err != nil {
				return err
			}
		}
		return nil
	}
	if err := visit(drv); err != nil {
		return nil, err
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i] < missing[j] })
	return missing, nil
}
