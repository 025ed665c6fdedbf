// Command testsvc is the service program of the test systems: one static
// binary whose first argument selects what it does.
//
//	testsvc web ADDR TEXT     serve TEXT on http://ADDR/ until SIGTERM
//	testsvc flaky MARKER      exit 1 the first time (creating MARKER), then run until SIGTERM
//	testsvc crash             exit 1 at once, every time
//	testsvc oneshot FILE TEXT write TEXT to FILE and exit 0
//	testsvc idle TEXT         print TEXT and run until SIGTERM
package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: testsvc web|flaky|crash|oneshot|idle ARGS")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2:]); err != nil {
		fmt.Fprintf(os.Stderr, "testsvc %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}

var errCrash = errors.New("crashing on purpose")

func run(mode string, args []string) error {
	need := map[string]int{"web": 2, "flaky": 1, "crash": 0, "oneshot": 2, "idle": 1}
	n, ok := need[mode]
	if !ok || len(args) != n {
		return fmt.Errorf("bad arguments %q", args)
	}
	switch mode {
	case "web":
		return web(args[0], args[1])
	case "flaky":
		if _, err := os.Stat(args[0]); err != nil {
			if err := os.WriteFile(args[0], []byte("crashed once\n"), 0o644); err != nil {
				return err
			}
			return errCrash
		}
		fmt.Println("up after a crash")
		return waitTERM()
	case "crash":
		return errCrash
	case "oneshot":
		if err := os.WriteFile(args[0], []byte(args[1]+"\n"), 0o644); err != nil {
			return err
		}
		fmt.Printf("wrote %s\n", args[0])
		return nil
	default:
		fmt.Println(args[0])
		return waitTERM()
	}
}

func web(addr, text string) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("listening on %s\n", l.Addr())
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, text)
	})}
	go srv.Serve(l)
	return waitTERM()
}

// waitTERM returns when SIGTERM arrives.
func waitTERM() error {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGTERM)
	<-ch
	return nil
}
