package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/frazil/frazil/init/control"
)

var logsCommand = command{"on the device: show a service's output (-f to follow)", runLogs}

// runLogs is `frazil logs [-f] [-n N] NAME`.
func runLogs(args []string) error {
	fs := flag.NewFlagSet("logs", flag.ContinueOnError)
	follow := fs.Bool("f", false, "keep printing new lines until interrupted")
	n := fs.Int("n", 100, "number of recent lines to show (0: all that PID 1 keeps)")
	socket := fs.String("socket", control.SocketPath, "PID 1's control socket")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: frazil logs [-f] [-n N] [--socket PATH] NAME")
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return control.NewClient(*socket).Logs(ctx, fs.Arg(0), *n, *follow, os.Stdout)
}
