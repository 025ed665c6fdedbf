package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/frazil/frazil/init/control"
)

var servicesCommand = command{"on the device: list services, or start/stop/restart one", runServices}

// runServices is `frazil services [--json] [start|stop|restart NAME]`.
func runServices(args []string) error {
	fs := flag.NewFlagSet("services", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print the status as JSON")
	socket := fs.String("socket", control.SocketPath, "PID 1's control socket")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: frazil services [--json] [--socket PATH] [start|stop|restart NAME]")
	}
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	c := control.NewClient(*socket)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	switch fs.NArg() {
	case 0:
		list, err := c.Services(ctx)
		if err != nil {
			return err
		}
		return printServices(os.Stdout, list, *asJSON)
	case 2:
		action, name := fs.Arg(0), fs.Arg(1)
		if action != "start" && action != "stop" && action != "restart" {
			fs.Usage()
			return errUsage
		}
		return c.Service(ctx, name, action)
	}
	fs.Usage()
	return errUsage
}

// printServices writes the table (or JSON) of services.
func printServices(w io.Writer, list []control.ServiceInfo, asJSON bool) error {
	if asJSON {
		if list == nil {
			list = []control.ServiceInfo{}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATE\tPID\tRESTARTS\tUPTIME\tLAST EXIT")
	for _, s := range list {
		pid, uptime := "-", "-"
		if s.PID != 0 {
			pid = fmt.Sprint(s.PID)
			uptime = time.Duration(s.UptimeSeconds * float64(time.Second)).Round(time.Second).String()
		}
		last := s.LastExit
		if s.Error != "" {
			last = s.Error
		}
		if last == "" {
			last = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", s.Name, s.State, pid, s.Restarts, uptime, strings.ReplaceAll(last, "\t", " "))
	}
	return tw.Flush()
}
