package main

// This file defines the "build" verb (nix-build): evaluate an expression,
// build or substitute its derivations, make result links. See
// docs/cli.md.

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/frazil/frazil/build"
	"github.com/frazil/frazil/builder"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/binarycache"
	"github.com/frazil/frazil/store/signature"
)

const buildUsage = `usage: frazil build [FILE | -E EXPR] [-A ATTR]… [--arg NAME EXPR]… [--argstr NAME STRING]…
                    [--system SYSTEM] [--store DIR] [-j N] [-k] [--check] [--dry-run]
                    [-o LINK | --no-out-link] [--json] [-L] [--timeout D]
                    [--substituters "URL…"] [--trusted-public-keys "KEY…"] [--no-check-sigs]`

// buildFlags are frazil build's options.
type buildFlags struct {
	expr         build.Expr
	isExpr       bool
	storeDir     string
	opts         build.Options
	noOutLink    bool
	json         bool
	printLogs    bool
	substituters string
	keys         string
	noCheckSigs  bool
}

// takePairs removes the two-valued flags (--arg, --argstr) from args.
func takePairs(args []string) ([]string, []build.Arg, error) {
	var rest []string
	var pairs []build.Arg
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(rest, args[i:]...), pairs, nil
		}
		if a != "--arg" && a != "--argstr" {
			rest = append(rest, a)
			continue
		}
		if i+2 >= len(args) {
			return nil, nil, fmt.Errorf("flag '%s' requires 2 arguments", a)
		}
		pairs = append(pairs, build.Arg{Name: args[i+1], Value: args[i+2], IsString: a == "--argstr"})
		i += 2
	}
	return rest, pairs, nil
}

// stringList is a flag that may be repeated.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, " ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func parseBuildFlags(args []string, stderr io.Writer) (*buildFlags, error) {
	f := &buildFlags{}
	rest, pairs, err := takePairs(args)
	if err != nil {
		fmt.Fprintf(stderr, "frazil build: %v\n%s\n", err, buildUsage)
		return nil, errUsage
	}
	f.expr.Args = pairs
	fs := flag.NewFlagSet("frazil build", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, buildUsage); fs.PrintDefaults() }
	fs.BoolVar(&f.isExpr, "E", false, "the argument is an expression, not a file")
	fs.Var((*stringList)(&f.expr.Attrs), "A", "attribute path to build (repeatable)")
	fs.Var((*stringList)(&f.expr.SearchPath), "I", "add a path to the Nix search path (repeatable)")
	fs.StringVar(&f.expr.System, "system", "", "target system: passed as the argument 'system' to a top-level function (like --argstr system S)")
	fs.BoolVar(&f.expr.ShowTrace, "show-trace", false, "show the evaluation trace of errors")
	fs.StringVar(&f.storeDir, "store", "/", "root directory of the store (the store is DIR/nix/store)")
	fs.IntVar(&f.opts.Builder.Jobs, "j", 1, "number of builds to run in parallel")
	fs.BoolVar(&f.opts.Builder.KeepGoing, "k", false, "keep going: build what does not depend on a failed build")
	fs.BoolVar(&f.opts.Builder.KeepGoing, "keep-going", false, "same as -k")
	fs.BoolVar(&f.opts.Builder.Check, "check", false, "rebuild and fail if the outputs differ from the registered ones")
	fs.DurationVar(&f.opts.Builder.Timeout, "timeout", 0, "kill a build that runs longer than this (0: no limit)")
	fs.BoolVar(&f.opts.DryRun, "dry-run", false, "print what would be built or fetched, and stop")
	fs.StringVar(&f.opts.OutLink, "o", "result", "base name of the result links")
	fs.StringVar(&f.opts.OutLink, "out-link", "result", "same as -o")
	fs.BoolVar(&f.noOutLink, "no-out-link", false, "make no result links")
	fs.BoolVar(&f.json, "json", false, "print the built paths as JSON")
	fs.BoolVar(&f.printLogs, "L", false, "print the build logs on stderr")
	fs.StringVar(&f.substituters, "substituters", "", "space-separated binary cache URLs to substitute from")
	fs.StringVar(&f.keys, "trusted-public-keys", "", "space-separated keys whose signatures substituters need")
	fs.BoolVar(&f.noCheckSigs, "no-check-sigs", false, "substitute paths without checking signatures")
	pos, err := parseArgs(fs, rest)
	if err != nil {
		return nil, err
	}
	if len(pos) > 1 {
		fmt.Fprintf(stderr, "frazil build: more than one file or expression given\n%s\n", buildUsage)
		return nil, errUsage
	}
	if len(pos) == 1 {
		if f.isExpr {
			f.expr.Expr = pos[0]
		} else {
			f.expr.File = pos[0]
		}
	} else if f.isExpr {
		fmt.Fprintf(stderr, "frazil build: -E needs an expression\n%s\n", buildUsage)
		return nil, errUsage
	}
	if f.noOutLink {
		f.opts.OutLink = ""
	}
	return f, nil
}

// substituters opens the --substituters caches.
func (f *buildFlags) substituterList() ([]builder.Substituter, error) {
	trust := binarycache.Trust{NoCheckSigs: f.noCheckSigs}
	var err error
	if trust.Keys, err = signature.ParseTrustedKeys(f.keys); err != nil {
		return nil, fmt.Errorf("--trusted-public-keys: %w", err)
	}
	var subs []builder.Substituter
	for _, url := range strings.Fields(f.substituters) {
		s, err := build.NewCacheSubstituter(url, trust)
		if err != nil {
			return nil, fmt.Errorf("substituter %s: %w", url, err)
		}
		subs = append(subs, s)
	}
	return subs, nil
}

func runBuild(args []string) error {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return buildMain(ctx, args, os.Stdout, os.Stderr)
}

func buildMain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseBuildFlags(args, stderr)
	if err != nil {
		return err
	}
	if f.opts.Builder.Substituters, err = f.substituterList(); err != nil {
		return err
	}
	s, err := store.Open(f.storeDir)
	if err != nil {
		return err
	}
	defer s.Close()
	prog := build.NewProgress(stderr, isTerminal(stderr))
	f.opts.Builder.Progress = prog.Event
	if f.printLogs {
		f.opts.Builder.LogTo = stderr
	}
	f.expr.Stderr = stderr
	res, err := build.Run(ctx, s, &f.expr, &f.opts)
	prog.Done()
	var be *builder.Error
	var ee *build.EvalError
	switch {
	case errors.As(err, &ee):
		fmt.Fprint(stderr, ee.Msg)
		return exitError(1)
	case errors.As(err, &be):
		fmt.Fprintf(stderr, "error: %d builds failed:\n%v\n", len(be.Failures), err)
		return exitError(1)
	case err != nil:
		return err
	}
	return printBuildResult(stdout, res, f.json)
}

// printBuildResult prints the plan of a dry run, or the output paths.
func printBuildResult(w io.Writer, res *build.Result, asJSON bool) error {
	if res.Plan != nil {
		return printPlan(w, res.Plan, asJSON)
	}
	if asJSON {
		return json.NewEncoder(w).Encode(res.Outputs)
	}
	for _, o := range res.Outputs {
		for _, name := range sortedNames(o.Outputs) {
			fmt.Fprintln(w, o.Outputs[name])
		}
	}
	return nil
}

func printPlan(w io.Writer, p *builder.Plan, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(w).Encode(map[string]any{"build": nonNil(p.Build), "fetch": nonNil(p.Substitute)})
	}
	if len(p.Build) > 0 {
		fmt.Fprintf(w, "these %d derivations will be built:\n", len(p.Build))
		for _, d := range p.Build {
			fmt.Fprintf(w, "  %s\n", d)
		}
	}
	if len(p.Substitute) > 0 {
		fmt.Fprintf(w, "these %d paths will be fetched:\n", len(p.Substitute))
		for _, d := range p.Substitute {
			fmt.Fprintf(w, "  %s\n", d)
		}
	}
	return nil
}

func nonNil[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}
