package nar

import (
	"os"
	"syscall"
)

// preallocate reserves size bytes for f so that the filesystem can lay the
// file out in one piece. Failure (a filesystem without fallocate) is not an
// error: the writes allocate as they go.
func preallocate(f *os.File, size int64) {
	if size >= 64<<10 {
		syscall.Fallocate(int(f.Fd()), 0, 0, size)
	}
}
