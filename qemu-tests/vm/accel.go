package vm

import (
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"
)

var (
	accelMu   sync.Mutex
	accelMemo = map[string]string{}
)

// Accel returns the accelerator for arch: "kvm" if $FRAZIL_QEMU_ACCEL says
// so or a probe boots firmware under KVM within a few seconds, else "tcg".
// The probe runs once per architecture and process.
func Accel(arch string) string {
	if a := os.Getenv("FRAZIL_QEMU_ACCEL"); a == "tcg" || a == "kvm" {
		return a
	}
	accelMu.Lock()
	defer accelMu.Unlock()
	if a, ok := accelMemo[arch]; ok {
		return a
	}
	a := "tcg"
	if arch == "x86_64" && probeKVM(Binary(arch), 8*time.Second) {
		a = "kvm"
	}
	accelMemo[arch] = a
	return a
}

// probeKVM starts SeaBIOS under KVM with no disk and waits for it to say
// that there is nothing to boot; nested KVM that hangs or aborts fails.
func probeKVM(qemu string, timeout time.Duration) bool {
	if _, err := os.Stat("/dev/kvm"); err != nil {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, qemu, "-accel", "kvm", "-machine", "graphics=off", "-display", "none",
		"-serial", "stdio", "-monitor", "none", "-nodefaults", "-no-user-config", "-m", "64")
	out, err := cmd.StdoutPipe()
	if err != nil || cmd.Start() != nil {
		return false
	}
	defer func() { cancel(); cmd.Wait() }()
	return scanFor(out, []byte("No bootable device"))
}

// scanFor reads r until it has seen want or r ends.
func scanFor(r io.Reader, want []byte) bool {
	var seen []byte
	b := make([]byte, 1024)
	for {
		n, err := r.Read(b)
		seen = append(seen, b[:n]...)
		if bytes.Contains(seen, want) {
			return true
		}
		if err != nil {
			return false
		}
	}
}
