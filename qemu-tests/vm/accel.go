package vm

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"strings"
	"sync"
	"time"

	diskfs "github.com/diskfs/go-diskfs"
	"github.com/diskfs/go-diskfs/filesystem"
)

var (
	accelMu   sync.Mutex
	accelMemo = map[string]string{}
)

// Accel returns the accelerator for booting image on arch: "kvm" or "tcg"
// as $FRAZIL_QEMU_ACCEL says, else "kvm" only when a probe proves that
// KVM runs a Linux kernel: the kernel on the image's ESP (or
// $FRAZIL_QEMU_PROBE_KERNEL) must boot under KVM to where it looks for
// its root file system, within a few seconds. Firmware alone proves
// nothing: nested KVM can run SeaBIOS and then hang in the kernel. The
// result is kept per architecture for the life of the process.
func Accel(arch, image string) string {
	if a := os.Getenv("FRAZIL_QEMU_ACCEL"); a == "tcg" || a == "kvm" {
		return a
	}
	accelMu.Lock()
	defer accelMu.Unlock()
	if a, ok := accelMemo[arch]; ok {
		return a
	}
	a := "tcg"
	if arch == "x86_64" && kvmRunsLinux(Binary(arch), image, 20*time.Second) {
		a = "kvm"
	}
	accelMemo[arch] = a
	return a
}

// kvmRunsLinux boots a kernel under KVM with no root file system and waits
// for its panic about that; a hang, an abort or no kernel to try fails.
func kvmRunsLinux(qemu, image string, timeout time.Duration) bool {
	if _, err := os.Stat("/dev/kvm"); err != nil {
		return false
	}
	kernel := os.Getenv("FRAZIL_QEMU_PROBE_KERNEL")
	if kernel == "" && image != "" {
		dir, err := os.MkdirTemp("", "frazil-kvm-probe-")
		if err != nil {
			return false
		}
		defer os.RemoveAll(dir)
		if kernel, err = extractKernel(image, dir); err != nil {
			return false
		}
	}
	if kernel == "" {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, qemu, "-accel", "kvm", "-display", "none", "-serial", "stdio", "-monitor", "none",
		"-nodefaults", "-no-user-config", "-no-reboot", "-m", "256",
		"-kernel", kernel, "-append", "console=ttyS0 panic=-1 root=/dev/frazil-kvm-probe")
	out, err := cmd.StdoutPipe()
	if err != nil || cmd.Start() != nil {
		return false
	}
	defer func() { cancel(); cmd.Wait() }()
	return scanFor(out, []byte("Kernel panic"))
}

// extractKernel copies the first x86 kernel (…bzImage) from the image's
// ESP (/EFI/frazil, where the boot menu's kernels are) into dir.
func extractKernel(image, dir string) (string, error) {
	d, err := diskfs.Open(image, diskfs.WithOpenMode(diskfs.ReadOnly))
	if err != nil {
		return "", err
	}
	defer d.Close()
	for part := 1; part <= 3; part++ {
		fsys, err := d.GetFilesystem(part)
		if err != nil || fsys.Type() != filesystem.TypeFat32 {
			continue
		}
		const kdir = "EFI/frazil" // io/fs names: no leading slash
		entries, err := fsys.ReadDir(kdir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), "bzImage") {
				continue
			}
			return copyOut(fsys, path.Join(kdir, e.Name()), dir)
		}
	}
	return "", fmt.Errorf("%s: no kernel in the ESP's /EFI/frazil", image)
}

func copyOut(fsys fs.FS, name, dir string) (string, error) {
	in, err := fsys.Open(name)
	if err != nil {
		return "", err
	}
	defer in.Close()
	dst := dir + "/" + path.Base(name)
	out, err := os.Create(dst)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return "", err
	}
	return dst, out.Close()
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
