//go:build !linux

package nar

import "os"

// preallocate does nothing where fallocate is not available.
func preallocate(f *os.File, size int64) {}
