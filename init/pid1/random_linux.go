package pid1

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// SeedPath holds random bytes saved by the previous boot (or written when
// the machine was installed), like systemd's random seed.
const SeedPath = "/var/lib/frazil/random-seed"

const (
	seedSize = 512
	// rndAddEntropy is RNDADDENTROPY, _IOW('R', 0x03, int[2]).
	rndAddEntropy = 0x40085203
)

// loadRandomSeed feeds the saved seed to the kernel, crediting it, so the
// kernel's random number generator is ready at once instead of after
// minutes on an idle small machine or VM without a hardware RNG (DHCP's
// transaction IDs need it). The seed is credited only when it is a regular
// root-owned 0600 file of the full size, and replaced at once by fresh bytes
// (in the background, right away) so no two boots credit the same seed.
func (s *system) loadRandomSeed() error {
	seed, err := readSeed(SeedPath)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := creditEntropy(seed); err != nil {
		return err
	}
	// Renewing costs an fsync; it runs beside the rest of boot.
	s.goSafe("random seed", func() {
		if err := saveRandomSeed(); err != nil {
			s.logf("%v", err)
		}
	})
	return nil
}

func readSeed(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	sys, _ := st.Sys().(*syscall.Stat_t)
	if !st.Mode().IsRegular() || st.Mode().Perm() != 0o600 || sys == nil || sys.Uid != 0 || st.Size() != seedSize {
		return nil, fmt.Errorf("random seed %s: not a root-owned 0600 file of %d bytes; not crediting it", path, seedSize)
	}
	seed := make([]byte, seedSize)
	if _, err := f.ReadAt(seed, 0); err != nil {
		return nil, fmt.Errorf("random seed %s: %w", path, err)
	}
	return seed, nil
}

// creditEntropy adds seed to the kernel's pool and credits its bits.
func creditEntropy(seed []byte) error {
	f, err := os.OpenFile("/dev/urandom", os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	// struct rand_pool_info { int entropy_count; int buf_size; __u32 buf[]; }
	info := make([]byte, 8+len(seed))
	binary.NativeEndian.PutUint32(info[0:], uint32(len(seed)*8))
	binary.NativeEndian.PutUint32(info[4:], uint32(len(seed)))
	copy(info[8:], seed)
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, f.Fd(), rndAddEntropy, uintptr(unsafe.Pointer(&info[0])))
	if errno != 0 {
		return fmt.Errorf("credit random seed: %w", errno)
	}
	return nil
}

// saveRandomSeed replaces the seed with fresh bytes from the kernel
// (temp file, fsync, rename). It is called at boot after crediting and at
// shutdown; it never blocks on an uninitialised generator.
func saveRandomSeed() error {
	seed := make([]byte, seedSize)
	if _, err := unix.Getrandom(seed, unix.GRND_NONBLOCK); err != nil {
		return fmt.Errorf("save random seed: the kernel's generator is not ready: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(SeedPath), 0o755); err != nil {
		return err
	}
	tmp := SeedPath + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(seed); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, SeedPath)
}

// randomReady reports whether getrandom would not block.
func randomReady() bool {
	var b [1]byte
	_, err := unix.Getrandom(b[:], unix.GRND_NONBLOCK)
	return err == nil
}
