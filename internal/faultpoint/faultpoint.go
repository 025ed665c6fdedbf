// Package faultpoint lets tests kill the process at named points of a write
// path, to prove that a crash there leaves the on-disk state consistent.
//
// Code calls Hit("store.add.renamed") at each point worth crashing at. With
// the environment unset Hit costs one atomic load. Tests run a child process
// with
//
//	FRAZIL_FAULTPOINT=NAME[:N]   SIGKILL the process at the Nth hit (default 1) of NAME
//	FRAZIL_FAULTPOINT_LOG=FILE   append every hit name to FILE (to enumerate the points)
package faultpoint

import (
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	once    sync.Once
	enabled atomic.Bool
	mu      sync.Mutex
	target  string
	nth     = 1
	hits    = map[string]int{}
	logPath string
)

func setup() {
	spec := os.Getenv("FRAZIL_FAULTPOINT")
	logPath = os.Getenv("FRAZIL_FAULTPOINT_LOG")
	if spec == "" && logPath == "" {
		return
	}
	if name, n, ok := strings.Cut(spec, ":"); ok {
		if v, err := strconv.Atoi(n); err == nil && v > 0 {
			nth = v
		}
		spec = name
	}
	target = spec
	enabled.Store(true)
}

// Hit marks a point where the process may be killed by a test.
func Hit(name string) {
	once.Do(setup)
	if !enabled.Load() {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	if logPath != "" {
		if f, err := os.OpenFile(logPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644); err == nil {
			f.WriteString(name + "\n")
			f.Close()
		}
	}
	if name != target {
		return
	}
	hits[name]++
	if hits[name] == nth {
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		for { // the signal is delivered asynchronously; never continue
			time.Sleep(time.Hour)
		}
	}
}
