package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/frazil/frazil/init/control"
)

// powerCommand makes the poweroff, reboot and halt verbs: each asks PID 1
// over its control socket to stop the services, unmount and do it.
func powerCommand(action string) command {
	return command{"on the device: stop services, unmount and " + action, func(args []string) error {
		return runPower(action, args)
	}}
}

func runPower(action string, args []string) error {
	fs := flag.NewFlagSet(action, flag.ContinueOnError)
	socket := fs.String("socket", control.SocketPath, "PID 1's control socket")
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: frazil %s [--socket PATH]\n\nAsks PID 1 to stop every service, unmount the filesystems and %s.\n", action, action)
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return control.NewClient(*socket).Power(ctx, action)
}
