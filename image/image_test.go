package image

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frazil/frazil/generations"
	"github.com/frazil/frazil/image/bootloader"
	"github.com/frazil/frazil/image/imagetest"
	"github.com/frazil/frazil/internal/testutil"
)

var testTime = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// buildTestImage makes a store with the given generations and an image of
// its profile; it returns the image path and the toplevels.
func buildTestImage(t *testing.T, dir string, labels []string, opts Options) (string, []string, *Result) {
	t.Helper()
	testutil.RequireTool(t, "grub-mkimage", "make setup")
	store := filepath.Join(dir, "store")
	prof, _ := generations.Open(filepath.Join(store, "nix/var/nix/profiles/system"), store)
	kernel := imagetest.Kernel(t)
	var tops []string
	for i, l := range labels {
		top := imagetest.Toplevel(t, store, imagetest.Generation{Label: l, Params: "console=ttyS0 panic=-1",
			Kernel: kernel, Initrd: imagetest.Initrd(t, false)})
		if _, _, err := prof.Set(top); err != nil {
			t.Fatal(err)
		}
		setLinkTime(t, prof, i+1, testTime.Add(time.Duration(i)*time.Hour))
		tops = append(tops, top)
	}
	opts.StoreRoot, opts.Profile = store, prof.Path
	opts.Output = filepath.Join(dir, "disk.img")
	if opts.Time.IsZero() {
		opts.Time = testTime
	}
	res, err := Build(opts)
	if err != nil {
		t.Fatal(err)
	}
	return opts.Output, tops, res
}

func setLinkTime(t *testing.T, p *generations.Profile, n int, tm time.Time) {
	t.Helper()
	if err := lutimes(filepath.Join(filepath.Dir(p.Path), filepath.Base(p.Path)+"-"+itoa(n)+"-link"), tm); err != nil {
		t.Fatal(err)
	}
}

func itoa(n int) string { return string(rune('0' + n)) }

// extract copies a partition out of the image.
func extract(t *testing.T, img string, p Part) string {
	t.Helper()
	f, err := os.Open(img)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := filepath.Join(t.TempDir(), p.Name+".part")
	o, _ := os.Create(out)
	defer o.Close()
	if _, err := io.Copy(o, io.NewSectionReader(f, p.Offset, p.Size)); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestImageFsck(t *testing.T) {
	e2fsck := testutil.RequireTool(t, "e2fsck", "apt-get install e2fsprogs")
	fsckVfat := testutil.RequireTool(t, "fsck.vfat", "apt-get install dosfstools")
	img, tops, res := buildTestImage(t, t.TempDir(), []string{"g1", "g2"}, Options{FreeSpace: 8 << 20})
	if out, err := exec.Command(e2fsck, "-fn", extract(t, img, res.Layout.Root)).CombinedOutput(); err != nil {
		t.Errorf("e2fsck -fn: %v\n%s", err, out)
	}
	if out, err := exec.Command(fsckVfat, "-n", extract(t, img, res.Layout.ESP)).CombinedOutput(); err != nil {
		t.Errorf("fsck.vfat -n: %v\n%s", err, out)
	}
	// the root holds the closure and the profile
	debugfs := testutil.RequireTool(t, "debugfs", "apt-get install e2fsprogs")
	root := extract(t, img, res.Layout.Root)
	out, err := exec.Command(debugfs, "-R", "ls -l /nix/var/nix/profiles", root).CombinedOutput()
	if err != nil {
		t.Fatalf("debugfs: %v\n%s", err, out)
	}
	for _, want := range []string{"system-1-link", "system-2-link", "system"} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("profiles dir lacks %s:\n%s", want, out)
		}
	}
	out, _ = exec.Command(debugfs, "-R", "stat "+tops[1]+"/kernel-params", root).CombinedOutput()
	if !bytes.Contains(out, []byte("Mode:  0444")) {
		t.Errorf("store file is not canonical (0444):\n%s", out)
	}
	if len(res.Menu.Entries) != 2 || !res.Menu.Entries[0].Default {
		t.Errorf("menu = %+v, want 2 entries, newest default", res.Menu)
	}
}

func TestImageReproducible(t *testing.T) {
	dir := t.TempDir()
	img1, _, _ := buildTestImage(t, filepath.Join(dir, "a"), []string{"g1"}, Options{FreeSpace: 4 << 20})
	img2, _, _ := buildTestImage(t, filepath.Join(dir, "b"), []string{"g1"}, Options{FreeSpace: 4 << 20})
	a, _ := os.ReadFile(img1)
	b, _ := os.ReadFile(img2)
	if !bytes.Equal(a, b) {
		i := 0
		for i < len(a) && i < len(b) && a[i] == b[i] {
			i++
		}
		t.Errorf("two builds differ (sizes %d, %d), first at byte %d", len(a), len(b), i)
	}
}

func TestImageFirmwareLayout(t *testing.T) {
	_, _, res := buildTestImage(t, t.TempDir(), []string{"g1"}, Options{FreeSpace: 4 << 20, Firmware: bootloader.UEFI})
	if res.Layout.BIOSBoot != nil {
		t.Errorf("UEFI-only image has a BIOS boot partition")
	}
}

// TestImageLargeTree writes a store path that exercises the ext4 writer:
// a directory of 1500 entries, deep nesting, a 20 MiB file, long and short
// symlinks, empty and executable files; e2fsck must pass and debugfs must
// read back exactly the source tree.
func TestImageLargeTree(t *testing.T) {
	e2fsck := testutil.RequireTool(t, "e2fsck", "apt-get install e2fsprogs")
	debugfs := testutil.RequireTool(t, "debugfs", "apt-get install e2fsprogs")
	testutil.RequireTool(t, "grub-mkimage", "make setup")
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	big := "/nix/store/" + strings.Repeat("b", 32) + "-big"
	src := filepath.Join(store, big)
	os.MkdirAll(filepath.Join(src, "many"), 0o755)
	for i := 0; i < 1500; i++ {
		os.WriteFile(filepath.Join(src, "many", fmt.Sprintf("file-with-a-longish-name-%04d", i)), []byte(fmt.Sprint(i)), 0o644)
	}
	deep := src
	for i := 0; i < 30; i++ {
		deep = filepath.Join(deep, fmt.Sprintf("d%d", i))
	}
	os.MkdirAll(deep, 0o755)
	os.WriteFile(filepath.Join(deep, "leaf"), []byte("leaf\n"), 0o644)
	data := make([]byte, 20<<20)
	rand.New(rand.NewSource(1)).Read(data)
	os.WriteFile(filepath.Join(src, "blob"), data, 0o644)
	os.WriteFile(filepath.Join(src, "empty"), nil, 0o644)
	os.WriteFile(filepath.Join(src, "tool"), []byte("#!/bin/sh\n"), 0o755)
	os.Symlink("blob", filepath.Join(src, "short"))
	os.Symlink(strings.Repeat("x/", 60)+"target", filepath.Join(src, "long"))
	top := imagetest.Toplevel(t, store, imagetest.Generation{Label: "big", Kernel: imagetest.Kernel(t), Initrd: []byte("i")})
	os.Symlink(big, filepath.Join(store, top, "sw"))
	res, err := Build(Options{StoreRoot: store, Toplevel: top, Output: filepath.Join(dir, "disk.img"), FreeSpace: 4 << 20, Time: testTime})
	if err != nil {
		t.Fatal(err)
	}
	root := extract(t, filepath.Join(dir, "disk.img"), res.Layout.Root)
	if out, err := exec.Command(e2fsck, "-fn", root).CombinedOutput(); err != nil {
		t.Fatalf("e2fsck -fn: %v\n%s", err, out)
	}
	back := t.TempDir()
	if out, err := exec.Command(debugfs, "-R", "rdump "+big+" "+back, root).CombinedOutput(); err != nil {
		t.Fatalf("debugfs rdump: %v\n%s", err, out)
	}
	if out, err := exec.Command("diff", "-r", "--no-dereference", src, filepath.Join(back, filepath.Base(big))).CombinedOutput(); err != nil {
		t.Errorf("the tree read back differs: %v\n%s", err, out)
	}
	out, _ := exec.Command(debugfs, "-R", "stat "+big+"/tool", root).CombinedOutput()
	if !bytes.Contains(out, []byte("Mode:  0555")) {
		t.Errorf("executable store file is not 0555:\n%s", out)
	}
}
