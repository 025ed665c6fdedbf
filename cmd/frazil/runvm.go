package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"

	"github.com/frazil/frazil/qemu-tests/vm"
)

// runVMCommand is the run-vm verb, registered in main.go.
var runVMCommand = command{"boot a disk image in QEMU with the serial console on the terminal", runVM}

func runVM(args []string) error {
	fs := flag.NewFlagSet("run-vm", flag.ContinueOnError)
	uefi := fs.Bool("uefi", false, "boot with UEFI (OVMF)")
	bios := fs.Bool("bios", false, "boot with legacy BIOS (the default on x86)")
	mem := fs.Int("mem", 512, "memory in `MiB`")
	snapshot := fs.Bool("snapshot", false, "discard what the VM writes to the disk")
	arch := fs.String("arch", "x86_64", "`architecture` of the image")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: frazil run-vm [--uefi|--bios] [--mem 512] [--snapshot] disk.img\n\nThe serial console is the terminal; Ctrl-A X quits QEMU.")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil || len(pos) != 1 || (*uefi && *bios) {
		fs.Usage()
		return errUsage
	}
	o := vm.Options{Name: "frazil", Image: pos[0], Arch: *arch, Memory: *mem, Snapshot: *snapshot, Interactive: true}
	if *uefi || *arch == "aarch64" {
		o.Firmware = vm.UEFI
	}
	dir, err := os.MkdirTemp("", "frazil-run-vm-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if o.Firmware == vm.UEFI {
		if err := vm.PrepareUEFIVars(&o, dir); err != nil {
			return err
		}
	}
	qargs, err := vm.CommandLine(o, vm.Accel(o.Arch, o.Image), dir)
	if err != nil {
		return err
	}
	cmd := exec.Command(vm.Binary(o.Arch), qargs...)
	fmt.Fprintln(os.Stderr, "frazil run-vm:", cmd.String())
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return exitError(ee.ExitCode())
	}
	return err
}
