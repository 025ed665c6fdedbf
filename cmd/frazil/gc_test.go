package main

import "testing"

func TestMemoryLimit(t *testing.T) {
	for _, tt := range []struct {
		ram  uint64
		want int64
	}{
		{128 << 20, 64 << 20}, // a small board: never below 64 MiB
		{512 << 20, 128 << 20},
		{8 << 30, 2 << 30},
		{64 << 30, 4 << 30}, // a build server: capped
	} {
		if got := memoryLimit(tt.ram); got != tt.want {
			t.Errorf("memoryLimit(%d MiB) = %d MiB, want %d MiB", tt.ram>>20, got>>20, tt.want>>20)
		}
	}
}
