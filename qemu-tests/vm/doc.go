// Package vm drives QEMU for end-to-end tests: it starts a VM from a disk
// image, reads and writes its serial console, waits for console patterns
// with timeouts, runs shell commands over the console (output and exit
// status, delimited by unique markers), sends keys to the boot menu, and
// reboots, powers off or kills the VM through QMP.
//
// It is modelled on hugelgupf/vmtest: every console line is logged with
// t.Logf under the VM's name, every wait has a timeout, and when a test
// fails the console log is kept on disk and the QEMU command line is
// printed so the run can be reproduced by hand.
//
// QEMU runs under TCG unless a probe shows that KVM works here (nested KVM
// often hangs); FRAZIL_QEMU_ACCEL=tcg|kvm overrides the probe.
package vm
