package main

import (
	"os"
	"runtime/debug"
	"syscall"
)

// Evaluation allocates many small, short-lived objects (thunks, attribute
// sets); with Go's default GOGC=100 the collector takes most of the CPU
// time of a large evaluation. tuneGC lets the heap grow to 5× its live size
// between collections (GOGC=400), and bounds it with a soft memory limit of
// a quarter of the machine's RAM (at most 4 GiB), so a small device
// collects more often instead of running out of memory. GOGC and
// GOMEMLIMIT in the environment take precedence, as the runtime documents.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(evalGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		var si syscall.Sysinfo_t
		if syscall.Sysinfo(&si) == nil {
			debug.SetMemoryLimit(memoryLimit(uint64(si.Totalram) * uint64(si.Unit)))
		}
	}
}

const evalGCPercent = 400

// memoryLimit is the soft heap limit for a machine with ram bytes.
func memoryLimit(ram uint64) int64 {
	const minLimit, maxLimit = 64 << 20, 4 << 30
	l := ram / 4
	if l < minLimit {
		l = minLimit
	}
	if l > maxLimit {
		l = maxLimit
	}
	return int64(l)
}
