package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/binarycache"
)

const cacheUsage = `usage:
  frazil cache serve [--addr 127.0.0.1:5000] [--store DIR] [--dir CACHEDIR [--allow-upload]]
                     [--secret-key-file F] [--compression none|xz|zstd] [--priority N]`

func runCache(args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, cacheUsage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return cacheServe(ctx, args[1:], os.Stderr, nil)
	case "-h", "--help", "help":
		fmt.Fprintln(os.Stdout, cacheUsage)
		return nil
	}
	fmt.Fprintf(os.Stderr, "frazil cache: unknown subcommand %q\n%s\n", args[0], cacheUsage)
	return errUsage
}

// cacheServe runs the server until ctx is done, then shuts it down
// gracefully. ready, if not nil, receives the listening address.
func cacheServe(ctx context.Context, args []string, stderr io.Writer, ready chan<- string) error {
	fs := flag.NewFlagSet("cache serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:5000", "address to listen on")
	storeDir := fs.String("store", "", "serve the store rooted at `DIR` (\"/\" for the system store)")
	dir := fs.String("dir", "", "serve the directory cache `CACHEDIR` (for what the store lacks)")
	upload := fs.Bool("allow-upload", false, "accept PUT uploads into --dir (for frazil store copy --to / nix copy --to)")
	keyFile := fs.String("secret-key-file", "", "sign narinfo files made from the store with this key")
	comp := fs.String("compression", "none", "compress NARs served from the store: none, xz or zstd")
	prio := fs.Int("priority", 0, "priority announced in nix-cache-info (lower is preferred; 0: none)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() != 0 || *storeDir == "" && *dir == "" {
		fmt.Fprintln(stderr, "frazil cache serve: give --store DIR and/or --dir CACHEDIR")
		return errUsage
	}
	opts := binarycache.HandlerOptions{Dir: *dir, AllowUpload: *upload, Compression: *comp, Priority: *prio}
	if *keyFile != "" {
		sk, err := binarycache.ReadSecretKeyFile(*keyFile)
		if err != nil {
			return err
		}
		opts.SecretKey = &sk
	}
	if *storeDir != "" {
		src, closeStore, err := openStoreSource(*storeDir)
		if err != nil {
			return err
		}
		defer closeStore()
		opts.Store = src
	}
	h, err := binarycache.NewHandler(opts)
	if err != nil {
		return err
	}
	return serveUntilDone(ctx, *addr, binarycache.LogRequests(h, stderr), stderr, ready)
}

func serveUntilDone(ctx context.Context, addr string, h http.Handler, stderr io.Writer, ready chan<- string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 30 * time.Second}
	fmt.Fprintf(stderr, "serving binary cache on http://%s\n", ln.Addr())
	if ready != nil {
		ready <- ln.Addr().String()
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stderr, "shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// openStoreSource opens the store rooted at root for serving.
func openStoreSource(root string) (binarycache.Source, func(), error) {
	s, err := store.Open(root)
	if err != nil {
		return nil, nil, err
	}
	return binarycache.NewStoreSource(s), func() { s.Close() }, nil
}
