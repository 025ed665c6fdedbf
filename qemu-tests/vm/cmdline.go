package vm

import (
	"fmt"
	"path/filepath"
	"strconv"
)

// Firmware selects how the VM boots.
type Firmware int

// The firmware kinds.
const (
	BIOS Firmware = iota // SeaBIOS (x86)
	UEFI                 // OVMF (x86) / AAVMF (AArch64)
)

func (f Firmware) String() string {
	if f == UEFI {
		return "uefi"
	}
	return "bios"
}

// Options describe a VM.
type Options struct {
	Name     string // shown in logs; default the test's name
	Image    string // raw disk image, attached as a virtio disk
	Arch     string // "x86_64" (default), "aarch64", "i686"
	Firmware Firmware
	Memory   int  // MiB, default 512
	Snapshot bool // discard disk writes (-snapshot)
	NoReboot bool // a guest reboot ends QEMU instead of resetting the VM
	// Interactive puts the serial console and QEMU's monitor on the
	// terminal (Ctrl-A X quits) and leaves out QMP: for frazil run-vm.
	Interactive bool
	ExtraArgs   []string
	// OVMFCode and OVMFVars locate the UEFI firmware; defaults are
	// Debian's paths for the architecture.
	OVMFCode, OVMFVars string
}

// firmwarePaths are Debian's firmware files per architecture.
var firmwarePaths = map[string][2]string{
	"x86_64":  {"/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd"},
	"aarch64": {"/usr/share/AAVMF/AAVMF_CODE.fd", "/usr/share/AAVMF/AAVMF_VARS.fd"},
}

func (o *Options) setDefaults() {
	if o.Arch == "" {
		o.Arch = "x86_64"
	}
	if o.Memory == 0 {
		o.Memory = 512
	}
	if fw, ok := firmwarePaths[o.Arch]; ok {
		if o.OVMFCode == "" {
			o.OVMFCode = fw[0]
		}
		if o.OVMFVars == "" {
			o.OVMFVars = fw[1]
		}
	}
}

// Binary returns the QEMU program for an architecture.
func Binary(arch string) string {
	if arch == "i686" {
		return "qemu-system-i386"
	}
	return "qemu-system-" + arch
}

// CommandLine returns QEMU's arguments (without the program) for o, with
// the per-VM files (a copy of the OVMF variables, the QMP socket) in dir.
// The serial console is QEMU's stdin/stdout; there is no display and no
// monitor other than QMP.
func CommandLine(o Options, accel, dir string) ([]string, error) {
	o.setDefaults()
	if o.Image == "" {
		return nil, fmt.Errorf("vm: no image")
	}
	args := []string{"-name", o.Name, "-m", strconv.Itoa(o.Memory), "-smp", "1", "-display", "none"}
	if o.Interactive {
		args = append(args, "-serial", "mon:stdio")
	} else {
		args = append(args, "-serial", "stdio", "-monitor", "none",
			"-qmp", "unix:"+filepath.Join(dir, "qmp.sock")+",server=on,wait=off")
	}
	args = append(args, "-no-user-config", "-nodefaults", "-accel", accel)
	switch o.Arch {
	case "x86_64", "i686":
		args = append(args, "-machine", "q35")
	case "aarch64":
		args = append(args, "-machine", "virt", "-cpu", "cortex-a57")
	default:
		return nil, fmt.Errorf("vm: unsupported architecture %q", o.Arch)
	}
	switch {
	case o.Firmware == UEFI:
		if o.OVMFCode == "" {
			return nil, fmt.Errorf("vm: no UEFI firmware known for %s", o.Arch)
		}
		args = append(args,
			"-drive", "if=pflash,format=raw,unit=0,readonly=on,file="+o.OVMFCode,
			"-drive", "if=pflash,format=raw,unit=1,file="+filepath.Join(dir, "efivars.fd"))
	case o.Arch == "aarch64":
		return nil, fmt.Errorf("vm: aarch64 boots with UEFI only")
	}
	drive := "file=" + o.Image + ",format=raw,if=virtio"
	if o.Snapshot {
		drive += ",snapshot=on"
	}
	args = append(args, "-drive", drive)
	if o.NoReboot {
		args = append(args, "-no-reboot")
	}
	return append(args, o.ExtraArgs...), nil
}

// PrepareUEFIVars copies the firmware's variable store into dir, where
// CommandLine points QEMU at it (each VM gets its own).
func PrepareUEFIVars(o *Options, dir string) error {
	o.setDefaults()
	if err := copyFile(o.OVMFVars, filepath.Join(dir, "efivars.fd")); err != nil {
		return fmt.Errorf("vm: UEFI variables: %w", err)
	}
	return nil
}
