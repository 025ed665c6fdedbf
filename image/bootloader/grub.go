package bootloader

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// GRUB is GRUB 2 built from the distribution's module directories with
// grub-mkimage (the loader's own build tool; no grub-install, no loop
// devices, no root).
//
// BIOS: boot.img goes into the protective MBR with the LBA of core.img
// patched in; core.img (diskboot.img + the kernel and modules) fills the
// BIOS boot partition, its first sector's block list patched to the rest.
// UEFI: the EFI image is EFI/BOOT/BOOT<ARCH>.EFI on the ESP. Both embed a
// tiny config that finds the ESP by its FAT volume ID and sets the prefix to
// its /grub, so both read the same /grub/grub.cfg.
type GRUB struct {
	Arch     Arch
	Firmware Firmware
	// LibDir holds the platform directories (i386-pc, x86_64-efi, …).
	LibDir string
	// Mkimage is the grub-mkimage program.
	Mkimage string
}

// MenuPath is where GRUB's menu lives on the ESP.
const MenuPath = "/grub/grub.cfg"

// grubModules are embedded in every core image: enough to find the ESP, read
// FAT, show the menu on serial and console, and load Linux.
var grubModules = []string{"part_gpt", "part_msdos", "fat", "ext2", "normal", "linux", "serial", "terminal",
	"echo", "test", "search", "search_fs_uuid", "search_fs_file", "configfile", "boot", "ls", "cat",
	"halt", "reboot", "gzio", "sleep"}

// platform describes one GRUB platform directory.
type platform struct {
	dir, format string
	extra       []string
	efiName     string // EFI/BOOT/<name> for UEFI platforms
}

func grubPlatform(arch Arch, fw Firmware) (platform, error) {
	switch {
	case arch == X86_64 && fw == BIOS, arch == I686 && fw == BIOS:
		return platform{dir: "i386-pc", format: "i386-pc", extra: []string{"biosdisk"}}, nil
	case arch == X86_64 && fw == UEFI:
		return platform{dir: "x86_64-efi", format: "x86_64-efi", efiName: "BOOTX64.EFI"}, nil
	case arch == AArch64 && fw == UEFI:
		return platform{dir: "arm64-efi", format: "arm64-efi", efiName: "BOOTAA64.EFI"}, nil
	case arch == I686 && fw == UEFI:
		return platform{dir: "i386-efi", format: "i386-efi", efiName: "BOOTIA32.EFI"}, nil
	}
	return platform{}, fmt.Errorf("grub: no %s loader for %s", fw, arch)
}

// NewGRUB returns GRUB for arch and the firmware set fw, checking that the
// platform files and grub-mkimage are present.
func NewGRUB(arch Arch, fw Firmware) (*GRUB, error) {
	g := &GRUB{Arch: arch, Firmware: fw, LibDir: "/usr/lib/grub", Mkimage: "grub-mkimage"}
	for _, f := range []Firmware{BIOS, UEFI} {
		if fw&f == 0 {
			continue
		}
		if _, err := grubPlatform(arch, f); err != nil {
			return nil, err
		}
	}
	if fw == 0 {
		return nil, fmt.Errorf("grub: no firmware given")
	}
	return g, nil
}

// EarlyConfig is the config embedded in the core images: find the ESP by
// its volume ID and read /grub/grub.cfg from it.
func EarlyConfig(espVolumeID string) string {
	return fmt.Sprintf("search --no-floppy --fs-uuid --set=root %s\nset prefix=($root)/grub\n", espVolumeID)
}

// mkimage builds a core image for one platform and returns its bytes.
func (g *GRUB) mkimage(p platform, espVolumeID string) ([]byte, error) {
	dir, err := os.MkdirTemp("", "frazil-grub-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	cfg := filepath.Join(dir, "early.cfg")
	if err := os.WriteFile(cfg, []byte(EarlyConfig(espVolumeID)), 0o644); err != nil {
		return nil, err
	}
	out := filepath.Join(dir, "core")
	args := append([]string{"-d", filepath.Join(g.LibDir, p.dir), "-O", p.format, "-o", out, "-c", cfg, "-p", "/grub"},
		append(append([]string{}, grubModules...), p.extra...)...)
	cmd := exec.Command(g.Mkimage, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("grub-mkimage %s: %w: %s", p.format, err, strings.TrimSpace(stderr.String()))
	}
	return os.ReadFile(out)
}

// Install writes GRUB for every firmware in g.Firmware.
func (g *GRUB) Install(t *Target) error {
	if t.ESPVolumeID == "" {
		return fmt.Errorf("grub: install: no ESP volume ID")
	}
	if g.Firmware&UEFI != 0 {
		p, _ := grubPlatform(g.Arch, UEFI)
		img, err := g.mkimage(p, t.ESPVolumeID)
		if err != nil {
			return err
		}
		if err := t.ESP.WriteFile("/EFI/BOOT/"+p.efiName, bytes.NewReader(img)); err != nil {
			return fmt.Errorf("grub: install uefi: %w", err)
		}
	}
	if g.Firmware&BIOS != 0 {
		p, _ := grubPlatform(g.Arch, BIOS)
		core, err := g.mkimage(p, t.ESPVolumeID)
		if err != nil {
			return err
		}
		boot, err := os.ReadFile(filepath.Join(g.LibDir, p.dir, "boot.img"))
		if err != nil {
			return fmt.Errorf("grub: install bios: %w", err)
		}
		if err := installBIOS(t, boot, core); err != nil {
			return fmt.Errorf("grub: install bios: %w", err)
		}
	}
	return nil
}

// Offsets in GRUB's i386-pc boot.img and diskboot.img (boot/i386/pc/boot.S,
// include/grub/i386/pc/boot.h).
const (
	bootKernelSector = 0x5c  // 8 bytes: LBA of core.img's first sector
	bootDriveCheck   = 0x66  // 2 bytes: jump over the floppy probe
	bootCodeEnd      = 0x1b8 // the disk signature and partition table follow
	blocklistSize    = 12    // start (8), len (2), segment (2) at the end of sector 0 of core.img
	kernelSegment    = 0x800 // GRUB_BOOT_I386_PC_KERNEL_SEG
)

// installBIOS writes core into the BIOS boot partition with its block list
// pointing at the following sectors, and boot.img's code into the MBR with
// the core's LBA, as grub-bios-setup does for a GPT disk.
func installBIOS(t *Target, boot, core []byte) error {
	if len(boot) != 512 {
		return fmt.Errorf("boot.img is %d bytes, want 512", len(boot))
	}
	if t.BIOSBootOffset%512 != 0 || t.BIOSBootSize <= 0 {
		return fmt.Errorf("no BIOS boot partition")
	}
	sectors := (int64(len(core)) + 511) / 512
	if sectors*512 > t.BIOSBootSize {
		return fmt.Errorf("core.img (%d bytes) does not fit the %d-byte BIOS boot partition", len(core), t.BIOSBootSize)
	}
	lba := uint64(t.BIOSBootOffset / 512)
	img := make([]byte, sectors*512)
	copy(img, core)
	bl := img[512-blocklistSize : 512]
	binary.LittleEndian.PutUint64(bl[0:8], lba+1)
	binary.LittleEndian.PutUint16(bl[8:10], uint16(sectors-1))
	binary.LittleEndian.PutUint16(bl[10:12], kernelSegment+512>>4)
	if _, err := t.Disk.WriteAt(img, t.BIOSBootOffset); err != nil {
		return err
	}
	mbr := append([]byte(nil), boot[:bootCodeEnd]...)
	binary.LittleEndian.PutUint64(mbr[bootKernelSector:], lba)
	mbr[bootDriveCheck], mbr[bootDriveCheck+1] = 0x90, 0x90 // a hard disk: no floppy probe
	_, err := t.Disk.WriteAt(mbr, 0)
	return err
}

// WriteMenu writes /grub/grub.cfg.
func (g *GRUB) WriteMenu(esp ESP, m Menu) error {
	return esp.WriteFile(MenuPath, strings.NewReader(RenderGRUBMenu(m)))
}

// RenderGRUBMenu returns grub.cfg for m: serial and console terminals, the
// timeout, the default entry, then one menuentry per entry in order.
func RenderGRUBMenu(m Menu) string {
	var b strings.Builder
	b.WriteString("# Generated by frazil; rewritten on every switch, rollback and delete.\n")
	b.WriteString("serial --unit=0 --speed=115200\nterminal_input serial console\nterminal_output serial console\n")
	fmt.Fprintf(&b, "set timeout=%d\n", m.Timeout)
	def := 0
	for i, e := range m.Entries {
		if e.Default {
			def = i
		}
	}
	fmt.Fprintf(&b, "set default=%d\n", def)
	for _, e := range m.Entries {
		fmt.Fprintf(&b, "\nmenuentry %s {\n", grubQuote(e.Title))
		fmt.Fprintf(&b, "  linux %s %s\n", grubQuote(e.Kernel), grubArgs(e.Cmdline))
		fmt.Fprintf(&b, "  initrd %s\n}\n", grubQuote(e.Initrd))
	}
	return b.String()
}

// grubQuote quotes s for grub.cfg: single quotes, with ' written as '\”.
func grubQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// grubArgs quotes each word of a kernel command line that GRUB would
// otherwise interpret.
func grubArgs(cmdline string) string {
	words := strings.Fields(cmdline)
	for i, w := range words {
		if strings.ContainsAny(w, "'\"\\$;|&<>(){}#`") {
			words[i] = grubQuote(w)
		}
	}
	return strings.Join(words, " ")
}
