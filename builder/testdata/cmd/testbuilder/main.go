// Command testbuilder is a tiny static builder for the builder package's
// tests. It runs inside the sandbox with no shell available and executes
// the operations given as arguments, in order:
//
//	mkdir DIR             create DIR and its parents
//	write FILE TEXT       write TEXT (with $VAR expanded) to FILE
//	append FILE TEXT      append TEXT to FILE
//	symlink TARGET LINK   create a symbolic link
//	chmod FILE MODE       change permissions (octal)
//	copy SRC DST          copy a regular file
//	env FILE              write the sorted environment to FILE
//	random FILE           write 32 random bytes to FILE
//	echo TEXT             print TEXT on stdout (the build log)
//	sleep SECONDS         sleep (fractions allowed)
//	exit CODE             exit with CODE
//	report FILE           append the outcome of later probes to FILE
//	probe-read PATH       try to read PATH (file or directory listing)
//	probe-write PATH      try to create PATH
//	probe-dial ADDR       try to open a TCP connection to ADDR
//	probe-ls DIR          record the sorted names in DIR
//	probe-id              record uid, gid, pid, host name and cwd
//	load-attrs            set $NAME for each output of $NIX_ATTRS_JSON_FILE
//
// A probe records "OP ARG: ok …" or "OP ARG: error" in the report; every
// other failing operation ends the build with status 1.
package main

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

var report string

func main() {
	args := os.Args[1:]
	for len(args) > 0 {
		op := args[0]
		n, ok := arity[op]
		if !ok || len(args) < 1+n {
			fail("bad operation %q", args)
		}
		operands := make([]string, n)
		for i := range operands {
			operands[i] = os.ExpandEnv(args[1+i])
		}
		if err := run(op, operands); err != nil {
			fail("%s %v: %v", op, operands, err)
		}
		args = args[1+n:]
	}
}

var arity = map[string]int{
	"mkdir": 1, "write": 2, "append": 2, "symlink": 2, "chmod": 2, "copy": 2, "env": 1,
	"random": 1, "echo": 1, "sleep": 1, "exit": 1, "report": 1,
	"probe-read": 1, "probe-write": 1, "probe-dial": 1, "probe-ls": 1, "probe-id": 0, "load-attrs": 0,
}

func run(op string, a []string) error {
	switch op {
	case "mkdir":
		return os.MkdirAll(a[0], 0o755)
	case "write":
		return os.WriteFile(a[0], []byte(a[1]), 0o644)
	case "append":
		return appendFile(a[0], a[1])
	case "symlink":
		return os.Symlink(a[0], a[1])
	case "chmod":
		m, err := strconv.ParseUint(a[1], 8, 32)
		if err != nil {
			return err
		}
		return os.Chmod(a[0], os.FileMode(m))
	case "copy":
		b, err := os.ReadFile(a[0])
		if err != nil {
			return err
		}
		return os.WriteFile(a[1], b, 0o644)
	case "env":
		env := os.Environ()
		sort.Strings(env)
		return os.WriteFile(a[0], []byte(strings.Join(env, "\n")+"\n"), 0o644)
	case "random":
		b := make([]byte, 32)
		rand.Read(b)
		return os.WriteFile(a[0], b, 0o644)
	case "echo":
		fmt.Println(a[0])
	case "sleep":
		d, err := strconv.ParseFloat(a[0], 64)
		if err != nil {
			return err
		}
		time.Sleep(time.Duration(d * float64(time.Second)))
	case "exit":
		code, err := strconv.Atoi(a[0])
		if err != nil {
			return err
		}
		os.Exit(code)
	case "report":
		report = a[0]
	case "load-attrs":
		return loadAttrs()
	default:
		return appendFile(report, op+" "+strings.Join(a, " ")+": "+probe(op, a)+"\n")
	}
	return nil
}

// loadAttrs sets an environment variable for each output listed in the
// structured attributes file.
func loadAttrs() error {
	b, err := os.ReadFile(os.Getenv("NIX_ATTRS_JSON_FILE"))
	if err != nil {
		return err
	}
	var attrs struct {
		Outputs map[string]string `json:"outputs"`
	}
	if err := json.Unmarshal(b, &attrs); err != nil {
		return err
	}
	for k, v := range attrs.Outputs {
		os.Setenv(k, v)
	}
	return nil
}

func probe(op string, a []string) string {
	var err error
	var detail string
	switch op {
	case "probe-read":
		detail, err = readAny(a[0])
	case "probe-write":
		err = os.WriteFile(a[0], []byte("x"), 0o644)
	case "probe-dial":
		var c net.Conn
		c, err = net.DialTimeout("tcp", a[0], 2*time.Second)
		if err == nil {
			c.Close()
		}
	case "probe-ls":
		var names []string
		if names, err = readDirNames(a[0]); err == nil {
			detail = strings.Join(names, " ")
		}
	case "probe-id":
		host, _ := os.Hostname()
		wd, _ := os.Getwd()
		detail = fmt.Sprintf("uid=%d gid=%d pid=%d host=%s cwd=%s", os.Getuid(), os.Getgid(), os.Getpid(), host, wd)
	}
	if err != nil {
		return "error"
	}
	if detail != "" {
		return "ok " + detail
	}
	return "ok"
}

func readAny(p string) (string, error) {
	fi, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	if fi.IsDir() {
		_, err = os.ReadDir(p)
		return "", err
	}
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	_, err = io.ReadAll(io.LimitReader(f, 4096)) // devices may be endless
	return "", err
}

func readDirNames(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(ents))
	for i, e := range ents {
		names[i] = e.Name()
	}
	return names, nil
}

func appendFile(p, s string) error {
	if p == "" {
		return fmt.Errorf("no report file")
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(s); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "testbuilder: "+format+"\n", args...)
	os.Exit(1)
}
