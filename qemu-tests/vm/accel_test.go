package vm

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	diskfs "github.com/diskfs/go-diskfs"
	"github.com/diskfs/go-diskfs/disk"
	"github.com/diskfs/go-diskfs/filesystem"
	"github.com/diskfs/go-diskfs/partition/gpt"
)

// espImage writes a GPT disk whose second partition is a FAT32 ESP holding
// files (ESP path -> contents), laid out as image.Build lays out x86 disks.
func espImage(t *testing.T, files map[string][]byte) string {
	t.Helper()
	img := filepath.Join(t.TempDir(), "disk.img")
	d, err := diskfs.Create(img, 80<<20, diskfs.SectorSizeDefault)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	table := &gpt.Table{ProtectiveMBR: true, Partitions: []*gpt.Partition{
		{Index: 1, Start: 2048, End: 4095, Type: gpt.BIOSBoot, Name: "bios"},
		{Index: 2, Start: 4096, End: 4096 + 70<<11 - 1, Type: gpt.EFISystemPartition, Name: "esp"},
	}}
	if err := d.Partition(table); err != nil {
		t.Fatal(err)
	}
	fsys, err := d.CreateFilesystem(disk.FilesystemSpec{Partition: 2, FSType: filesystem.TypeFat32, VolumeLabel: "ESP"})
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := fsys.Mkdir(filepath.Dir(name)); err != nil {
			t.Fatal(err)
		}
		f, err := fsys.OpenFile(name, os.O_CREATE|os.O_RDWR)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(data); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	return img
}

func TestExtractKernel(t *testing.T) {
	kernel := bytes.Repeat([]byte("kernel"), 5000)
	img := espImage(t, map[string][]byte{
		"/EFI/frazil/abc-linux-6.1-bzImage": kernel,
		"/grub/grub.cfg":                    []byte("menuentry"),
	})
	got, err := extractKernel(img, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(got) != "abc-linux-6.1-bzImage" {
		t.Errorf("extracted %s, want abc-linux-6.1-bzImage", got)
	}
	if data, err := os.ReadFile(got); err != nil || !bytes.Equal(data, kernel) {
		t.Errorf("extracted %d bytes (%v), want the %d of the ESP's kernel", len(data), err, len(kernel))
	}

	// An image without a kernel is no proof for KVM.
	empty := espImage(t, map[string][]byte{"/grub/grub.cfg": []byte("menuentry")})
	if _, err := extractKernel(empty, t.TempDir()); err == nil {
		t.Error("extractKernel found a kernel in an ESP without one")
	}
	t.Setenv("FRAZIL_QEMU_PROBE_KERNEL", "")
	if kvmRunsLinux(Binary("x86_64"), empty, 5e9) {
		t.Error("the KVM probe passed with no kernel to boot")
	}
}

func TestAccelFromEnvironment(t *testing.T) {
	for _, a := range []string{"tcg", "kvm"} {
		t.Setenv("FRAZIL_QEMU_ACCEL", a)
		if got := Accel("x86_64", "/nonexistent.img"); got != a {
			t.Errorf("FRAZIL_QEMU_ACCEL=%s: Accel = %s", a, got)
		}
	}
}
