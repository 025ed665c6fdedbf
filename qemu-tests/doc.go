// Package qemutests holds Frazil's end-to-end tests: disk images built by
// package image booted in QEMU (package vm drives it) under BIOS and UEFI.
// Until the system build exists, the images carry hand-assembled toplevels
// (package image/imagetest) whose init prints the kernel command line, so a
// test sees which generation the boot menu started.
package qemutests
