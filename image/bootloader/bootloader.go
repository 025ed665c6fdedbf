// Package bootloader installs boot loaders into disk images and writes
// their menus, for each architecture and firmware Frazil supports.
//
// A Bootloader has two jobs. Install puts the loader's own binaries in place
// once per disk: on the ESP (EFI/BOOT/BOOT<arch>.EFI) for UEFI, and in the
// protective MBR plus the BIOS boot partition for legacy BIOS. WriteMenu
// (re)writes the menu on the ESP, atomically, every time the set of
// generations changes. Kernels and initrds live on the ESP too, under
// /EFI/frazil/, named after their store paths and never overwritten in
// place; Update keeps them in step with a menu.
//
// The ESP is reached through the ESP interface, implemented by DirESP for a
// mounted or staged directory; the image builder stages a fresh ESP in a
// directory and copies it into the FAT file system of the image, while a
// device updates its ESP mounted at /boot the same way.
package bootloader

import (
	"fmt"
	"io"
)

// Arch is a target architecture, named as in Nix system strings.
type Arch string

// The supported architectures.
const (
	X86_64  Arch = "x86_64"
	AArch64 Arch = "aarch64"
	I686    Arch = "i686"
)

// ArchFromSystem maps a Nix system string ("x86_64-linux") to an Arch.
func ArchFromSystem(system string) (Arch, error) {
	switch system {
	case "x86_64-linux":
		return X86_64, nil
	case "aarch64-linux":
		return AArch64, nil
	case "i686-linux":
		return I686, nil
	}
	return "", fmt.Errorf("unsupported system %q", system)
}

// Firmware is a set of firmware interfaces a disk boots with.
type Firmware uint8

// The firmware interfaces.
const (
	BIOS Firmware = 1 << iota
	UEFI
)

func (f Firmware) String() string {
	switch f {
	case BIOS:
		return "bios"
	case UEFI:
		return "uefi"
	case BIOS | UEFI:
		return "bios+uefi"
	}
	return fmt.Sprintf("firmware(%d)", uint8(f))
}

// A Target is the disk a loader is installed on.
type Target struct {
	// Disk is the whole disk image; the loader writes its MBR code and the
	// BIOS boot partition through it (BIOS only).
	Disk io.WriterAt
	// BIOSBootOffset and BIOSBootSize locate the BIOS boot partition in
	// bytes (BIOS only).
	BIOSBootOffset, BIOSBootSize int64
	// ESP is where UEFI binaries go.
	ESP ESP
	// ESPVolumeID is the ESP's FAT volume ID as GRUB prints it
	// ("ABCD-1234"); the loader finds its menu on the file system with it.
	ESPVolumeID string
}

// An Entry is one item of a boot menu.
type Entry struct {
	Title   string
	Kernel  string // absolute path on the ESP
	Initrd  string // absolute path on the ESP
	Cmdline string
	Default bool
}

// A Menu is the whole boot menu.
type Menu struct {
	// Timeout is the number of seconds before the default entry boots;
	// negative waits for a key press forever.
	Timeout int
	Entries []Entry // in display order
}

// A Bootloader installs one loader for an architecture and firmware set.
type Bootloader interface {
	// Install writes the loader's binaries for its firmware set.
	Install(t *Target) error
	// WriteMenu writes the menu to the ESP atomically.
	WriteMenu(esp ESP, m Menu) error
}

// New returns the loader for arch and firmware (GRUB 2 for all of them).
func New(arch Arch, fw Firmware) (Bootloader, error) {
	return NewGRUB(arch, fw)
}
