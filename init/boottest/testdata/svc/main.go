// Command svc is the boot test's service program (see boot_test.go).
//
//	svc marker    print a marker line and run until stopped
//	svc crash     print a line and exit 1
//	svc oneshot   write /var/lib/boottest/oneshot and exit 0
//	svc ctl       wait for the crasher's restarts, report through the control
//	              socket, then ask PID 1 to power off
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"time"

	"github.com/frazil/frazil/init/control"
)

func main() {
	if len(os.Args) < 2 {
		os.Exit(2)
	}
	switch os.Args[1] {
	case "marker":
		fmt.Printf("boottest: marker running as uid %d home %s greeting %s\n", os.Getuid(), os.Getenv("HOME"), os.Getenv("GREETING"))
		sleepForever()
	case "crash":
		fmt.Println("boottest: crashing on purpose")
		os.Exit(1)
	case "oneshot":
		os.MkdirAll("/var/lib/boottest", 0o755)
		if err := os.WriteFile("/var/lib/boottest/oneshot", []byte("ran\n"), 0o644); err != nil {
			fmt.Println("boottest: oneshot:", err)
			os.Exit(1)
		}
	case "ctl":
		ctl()
	}
}

func ctl() {
	c := control.NewClient(control.SocketPath)
	ctx := context.Background()
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		list, err := c.Services(ctx)
		if err != nil {
			fmt.Println("boottest: services:", err)
			time.Sleep(time.Second)
			continue
		}
		var parts []string
		restarts := 0
		for _, s := range list {
			parts = append(parts, fmt.Sprintf("%s=%s/%d", s.Name, s.State, s.Restarts))
			if s.Name == "crasher" {
				restarts = s.Restarts
			}
		}
		if restarts >= 2 {
			fmt.Println("boottest: services:", strings.Join(parts, " "))
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	var logs strings.Builder
	if err := c.Logs(ctx, "marker", 3, false, &logs); err != nil {
		fmt.Println("boottest: logs:", err)
	}
	for _, l := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		fmt.Println("boottest: log:", l)
	}
	for time.Now().Before(deadline) && !hasAddress("10.0.2.15") {
		time.Sleep(200 * time.Millisecond)
	}
	host, _ := os.Hostname()
	var addrs []string
	if as, err := net.InterfaceAddrs(); err == nil {
		for _, a := range as {
			addrs = append(addrs, a.String())
		}
	}
	fmt.Printf("boottest: hostname %s, addresses: %s\n", host, strings.Join(addrs, " "))
	data, err := os.ReadFile("/etc/passwd")
	fmt.Printf("boottest: passwd has svcuser: %v (%v)\n", strings.Contains(string(data), "svcuser:x:1000:"), err)
	fmt.Println("boottest: requesting poweroff")
	if err := c.Power(ctx, "poweroff"); err != nil {
		fmt.Println("boottest: poweroff:", err)
	}
	sleepForever()
}

// hasAddress reports whether an interface has the IPv4 address ip.
func hasAddress(ip string) bool {
	as, _ := net.InterfaceAddrs()
	for _, a := range as {
		if strings.HasPrefix(a.String(), ip+"/") {
			return true
		}
	}
	return false
}

// sleepForever waits to be stopped (select{} would be a Go deadlock).
func sleepForever() {
	for {
		time.Sleep(time.Hour)
	}
}
