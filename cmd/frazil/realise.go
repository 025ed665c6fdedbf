package main

// This file defines the "realise" verb (nix-store --realise): build or
// substitute the outputs of derivations already in the store, and the
// "log" verb (nix-store --read-log).

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"strings"
	"time"

	"github.com/frazil/frazil/builder"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/binarycache"
	"github.com/frazil/frazil/store/signature"
	"github.com/frazil/frazil/store/storepath"
)

func runRealise(args []string) error {
	fs := flag.NewFlagSet("frazil realise", flag.ContinueOnError)
	dir := fs.String("store", "/", "root directory of the store (the store is DIR/nix/store)")
	jobs := fs.Int("j", 1, "number of builds to run in parallel")
	keepGoing := fs.Bool("k", false, "keep going: build what does not depend on a failed build")
	check := fs.Bool("check", false, "rebuild the derivations and fail if the outputs differ from the registered ones")
	timeout := fs.Duration("timeout", 0, "kill a build that runs longer than this (0: no limit)")
	printLogs := fs.Bool("L", false, "print the build logs on stderr")
	substituters := fs.String("substituters", "", "binary caches to substitute from, space-separated (file://DIR, http://HOST)")
	trustedKeys := fs.String("trusted-public-keys", "", "keys whose signatures make cached paths trusted, space-separated (name:base64)")
	noCheckSigs := fs.Bool("no-check-sigs", false, "substitute paths without checking their signatures")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: frazil realise [--store DIR] [-j N] [-k] [--check] [--timeout D] [-L] [--substituters URLS] DRV…")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	s, err := store.Open(*dir)
	if err != nil {
		return err
	}
	defer s.Close()
	drvs, err := drvArgs(s, fs.Args())
	if err != nil {
		return err
	}
	opts := builder.Options{Jobs: *jobs, KeepGoing: *keepGoing, Check: *check, Timeout: *timeout, Progress: showProgress}
	if opts.Substituters, err = openSubstituters(*substituters, *trustedKeys, *noCheckSigs); err != nil {
		return err
	}
	if *printLogs {
		opts.LogTo = os.Stderr
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	res, err := builder.New(s, opts).Realise(ctx, drvs)
	var be *builder.Error
	if errors.As(err, &be) {
		fmt.Fprintf(os.Stderr, "error: %v\n", err)
		return exitError(1)
	} else if err != nil {
		return err
	}
	for _, d := range drvs {
		for _, name := range sortedNames(res[d]) {
			fmt.Println(res[d][name])
		}
	}
	return nil
}

// openSubstituters opens the binary caches named in urls.
func openSubstituters(urls, keys string, noCheckSigs bool) ([]builder.Substituter, error) {
	trusted, err := signature.ParseTrustedKeys(keys)
	if err != nil {
		return nil, err
	}
	var subs []builder.Substituter
	for _, u := range strings.Fields(urls) {
		c, err := binarycache.Open(u)
		if err != nil {
			return nil, err
		}
		subs = append(subs, &builder.CacheSubstituter{Cache: c, Trust: binarycache.Trust{Keys: trusted, NoCheckSigs: noCheckSigs}})
	}
	return subs, nil
}

// drvArgs turns arguments into derivation paths: store paths, or their
// location under the store root.
func drvArgs(s *store.Store, args []string) ([]storepath.Path, error) {
	var drvs []storepath.Path
	for _, a := range args {
		a = strings.TrimPrefix(a, strings.TrimSuffix(s.Root(), "/"))
		p, err := storepath.Parse(a)
		if err != nil {
			return nil, err
		}
		drvs = append(drvs, p)
	}
	return drvs, nil
}

// showProgress prints Nix-style progress lines on stderr.
func showProgress(ev builder.Event) {
	switch ev.Kind {
	case builder.Planned:
		if ev.Progress.Total > 0 {
			fmt.Fprintf(os.Stderr, "%d derivations will be built or substituted\n", ev.Progress.Total)
		}
	case builder.BuildStarted:
		fmt.Fprintf(os.Stderr, "[%d/%d] building '%s'...\n", ev.Progress.Done+ev.Progress.Failed+1, ev.Progress.Total, ev.Path)
	case builder.SubstituteStarted:
		fmt.Fprintf(os.Stderr, "[%d/%d] copying '%s'...\n", ev.Progress.Done+ev.Progress.Failed+1, ev.Progress.Total, ev.Path)
	case builder.BuildFailed, builder.SubstituteFailed:
		fmt.Fprintf(os.Stderr, "%s '%s' at %s\n", ev.Kind, ev.Path, ev.Time.Format(time.TimeOnly))
	}
}

func sortedNames(m map[string]storepath.Path) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func runLog(args []string) error {
	fs := flag.NewFlagSet("frazil log", flag.ContinueOnError)
	dir := fs.String("store", "/", "root directory of the store (the store is DIR/nix/store)")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: frazil log [--store DIR] DRV")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	s, err := store.Open(*dir)
	if err != nil {
		return err
	}
	defer s.Close()
	drvs, err := drvArgs(s, fs.Args())
	if err != nil {
		return err
	}
	b, err := builder.Log(s, drvs[0])
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(b)
	return err
}
