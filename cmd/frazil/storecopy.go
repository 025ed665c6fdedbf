package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/binarycache"
	"github.com/frazil/frazil/store/signature"
	"github.com/frazil/frazil/store/storepath"
)

const storeCopyUsage = `usage: frazil store copy (--from URL | --to URL) [--store DIR] [flags] PATH...
  --from URL                    substitute PATH... and their closures from a binary cache
  --to URL                      upload PATH... and their closures to a binary cache
  --trusted-public-keys "K..."  keys whose signatures --from accepts
  --no-check-sigs               accept unsigned paths with --from (NAR hashes are still checked)
  --secret-key-file F           sign what --to uploads
  --json                        print the result as JSON on stdout`

// storeCopy is `frazil store copy`, like `nix copy`. The store verb's
// dispatch calls it with the arguments after "copy".
func storeCopy(sio *storeIO, args []string) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return storeCopyMain(ctx, args, sio.out, sio.errw)
}

type copyFlags struct {
	from, to, storeDir, keys, secretKeyFile string
	noCheckSigs, json                       bool
	args                                    []string
}

func parseCopyFlags(args []string, stderr io.Writer) (*copyFlags, error) {
	f := &copyFlags{}
	fs := flag.NewFlagSet("store copy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, storeCopyUsage) }
	fs.StringVar(&f.from, "from", "", "binary cache URL to copy from")
	fs.StringVar(&f.to, "to", "", "binary cache URL to copy to")
	fs.StringVar(&f.storeDir, "store", "/", "root of the store")
	fs.StringVar(&f.keys, "trusted-public-keys", "", "space-separated trusted public keys")
	fs.StringVar(&f.secretKeyFile, "secret-key-file", "", "sign uploads with this secret key")
	fs.BoolVar(&f.noCheckSigs, "no-check-sigs", false, "do not require signatures")
	fs.BoolVar(&f.json, "json", false, "print the result as JSON")
	var err error
	if f.args, err = parseArgs(fs, args); err != nil {
		return nil, err
	}
	if (f.from == "") == (f.to == "") || len(f.args) == 0 {
		fmt.Fprintln(stderr, "frazil store copy: give exactly one of --from and --to, and at least one path")
		fmt.Fprintln(stderr, storeCopyUsage)
		return nil, errUsage
	}
	return f, nil
}

func storeCopyMain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseCopyFlags(args, stderr)
	if err != nil {
		return err
	}
	url := f.from + f.to
	c, err := binarycache.Open(url)
	if err != nil {
		return err
	}
	opts := binarycache.CopyOptions{Progress: progressPrinter(stderr, url, f.from != "")}
	if f.from != "" {
		if opts.Trust.Keys, err = signature.ParseTrustedKeys(f.keys); err != nil {
			return fmt.Errorf("--trusted-public-keys: %w", err)
		}
		opts.Trust.NoCheckSigs = f.noCheckSigs
	} else if f.secretKeyFile != "" {
		sk, err := binarycache.ReadSecretKeyFile(f.secretKeyFile)
		if err != nil {
			return err
		}
		c.SetSecretKey(&sk)
	}
	s, err := store.Open(f.storeDir)
	if err != nil {
		return err
	}
	defer s.Close()
	paths, err := resolveAll(s, f.args)
	if err != nil {
		return err
	}
	var copied []storepath.Path
	start := time.Now()
	if f.from != "" {
		copied, err = binarycache.CopyFrom(ctx, c, s, paths, opts)
	} else {
		copied, err = binarycache.CopyTo(ctx, s, c, paths, opts)
	}
	if err == nil {
		fmt.Fprintf(stderr, "copied %d paths in %s\n", len(copied), time.Since(start).Round(time.Millisecond))
	}
	if f.json {
		printCopyJSON(stdout, f, paths, copied, err)
	}
	return err
}

// progressPrinter prints one line per path on stderr, as nix copy does.
func progressPrinter(w io.Writer, url string, from bool) func(binarycache.Progress) {
	return func(p binarycache.Progress) {
		if p.Done {
			return
		}
		dir := "to"
		if from {
			dir = "from"
		}
		fmt.Fprintf(w, "copying path '%s' %s '%s' (%d/%d, %s)...\n", p.Path, dir, url, p.Index, p.Total, humanBytes(p.Bytes))
	}
}

func humanBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func printCopyJSON(w io.Writer, f *copyFlags, paths, copied []storepath.Path, err error) {
	out := struct {
		From   string           `json:"from,omitempty"`
		To     string           `json:"to,omitempty"`
		Paths  []storepath.Path `json:"paths"`
		Copied []storepath.Path `json:"copied"`
		Error  string           `json:"error,omitempty"`
	}{From: f.from, To: f.to, Paths: paths, Copied: copied}
	if out.Copied == nil {
		out.Copied = []storepath.Path{}
	}
	if err != nil {
		out.Error = err.Error()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}
