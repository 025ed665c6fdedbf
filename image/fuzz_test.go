package image

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// memImage is a growable in-memory disk for the fixers.
type memImage struct{ b []byte }

func (m *memImage) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= int64(len(m.b)) {
		return 0, errors.New("out of range")
	}
	n := copy(p, m.b[off:])
	if n < len(p) {
		return n, errors.New("short read")
	}
	return n, nil
}

func (m *memImage) WriteAt(p []byte, off int64) (int, error) {
	if off < 0 || off+int64(len(p)) > int64(len(m.b)) {
		return 0, errors.New("out of range")
	}
	return copy(m.b[off:], p), nil
}

// FuzzFixers feeds arbitrary bytes to the ext4 and FAT32 fixers: they must
// return an error or succeed, never panic or hang.
func FuzzFixers(f *testing.F) {
	sb := make([]byte, 4096)
	copy(sb[1024+0x38:], []byte{0x53, 0xef})
	f.Add(sb)
	f.Add(bytes.Repeat([]byte{0xff}, 2048))
	boot := make([]byte, 1024)
	copy(boot[0x0b:], []byte{0, 2, 1, 32, 0, 2})
	f.Add(boot)
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<20 {
			return
		}
		m := &memImage{b: append([]byte(nil), b...)}
		normaliseExt4(m, m, 0, int64(len(b)), "seed", time.Unix(1, 0))
		fixFAT32(m, m, 0, int64(len(b)), time.Unix(1, 0))
	})
}
