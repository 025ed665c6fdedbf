package pid1

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Linux input event constants (linux/input-event-codes.h).
const (
	evKey    = 0x01
	keyPower = 116
)

// watchPowerButton powers off when the ACPI power button (QEMU's
// system_powerdown) is pressed: it reads key events from every input
// device named "Power Button" (the kernel's button and evdev modules make
// them; without them there is nothing to watch).
func (s *system) watchPowerButton() error {
	matches, _ := filepath.Glob("/sys/class/input/event*/device/name")
	for _, m := range matches {
		name, err := os.ReadFile(m)
		if err != nil || strings.TrimSpace(string(name)) != "Power Button" {
			continue
		}
		dev := "/dev/input/" + filepath.Base(filepath.Dir(filepath.Dir(m)))
		s.goSafe("power button "+dev, func() { readPowerButton(s, dev) })
	}
	return nil
}

func readPowerButton(s *system, dev string) {
	f, err := os.Open(dev)
	if err != nil {
		s.logf("power button %s: %v", dev, err)
		return
	}
	defer f.Close()
	var ev unix.Timeval
	size := int(unsafe.Sizeof(ev)) + 8 // struct input_event: time, type u16, code u16, value s32
	buf := make([]byte, size)
	for {
		if _, err := f.Read(buf); err != nil {
			return
		}
		typ := binary.NativeEndian.Uint16(buf[size-8:])
		code := binary.NativeEndian.Uint16(buf[size-6:])
		value := int32(binary.NativeEndian.Uint32(buf[size-4:]))
		if typ == evKey && code == keyPower && value == 1 {
			s.logf("power button pressed")
			s.requestPower("poweroff")
		}
	}
}
