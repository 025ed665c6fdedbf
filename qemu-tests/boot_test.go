package qemutests

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frazil/frazil/generations"
	"github.com/frazil/frazil/image"
	"github.com/frazil/frazil/image/bootloader"
	"github.com/frazil/frazil/image/imagetest"
	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/qemu-tests/vm"
)

// bootTimeout bounds GRUB + kernel + init under TCG on a loaded machine.
const bootTimeout = 3 * time.Minute

type fixture struct {
	img  string
	tops []string // toplevels, generation 1 first
	res  *image.Result
}

// build makes a profile with one generation per params entry and an image of it.
func build(t *testing.T, params []string, modules bool, o image.Options) fixture {
	t.Helper()
	testutil.RequireTool(t, "grub-mkimage", "make setup")
	dir := t.TempDir()
	store := filepath.Join(dir, "store")
	prof, err := generations.Open(filepath.Join(store, "nix/var/nix/profiles/system"), store)
	if err != nil {
		t.Fatal(err)
	}
	kernel := imagetest.Kernel(t)
	var f fixture
	for i, p := range params {
		top := imagetest.Toplevel(t, store, imagetest.Generation{Label: fmt.Sprintf("v%d", i+1),
			Params: "console=ttyS0 panic=-1 " + p, Kernel: kernel, Initrd: imagetest.Initrd(t, modules)})
		if _, _, err := prof.Set(top); err != nil {
			t.Fatal(err)
		}
		f.tops = append(f.tops, top)
	}
	o.StoreRoot, o.Profile, o.Output = store, prof.Path, filepath.Join(dir, "disk.img")
	if o.FreeSpace == 0 {
		o.FreeSpace = 8 << 20
	}
	if f.res, err = image.Build(o); err != nil {
		t.Fatal(err)
	}
	f.img = o.Output
	return f
}

// booted waits for the test init and returns the init= it was started with.
func booted(t *testing.T, v *vm.VM) string {
	t.Helper()
	m := v.MustExpect(`FRAZIL-TESTINIT cmdline=\[[^\]]*init=(\S+)/init[^\]]*\]`, bootTimeout)
	return m[1]
}

func firmwares(t *testing.T, fn func(t *testing.T, fw vm.Firmware)) {
	for _, fw := range []vm.Firmware{vm.BIOS, vm.UEFI} {
		t.Run(fw.String(), func(t *testing.T) { fn(t, fw) })
	}
}

func TestBootDefault(t *testing.T) {
	f := build(t, []string{""}, false, image.Options{})
	firmwares(t, func(t *testing.T, fw vm.Firmware) {
		v := vm.Start(t, vm.Options{Image: f.img, Firmware: fw, Snapshot: true})
		v.MustExpect(`GNU GRUB`, bootTimeout)
		v.MustExpect(`Frazil - Generation 1 \(\d{4}-\d\d-\d\d \d\d:\d\d - v1\)`, time.Minute)
		if got := booted(t, v); got != f.tops[0] {
			t.Errorf("booted %s, want %s", got, f.tops[0])
		}
		v.MustExpect(`reboot: Power down`, time.Minute)
		if err := v.Wait(time.Minute); err != nil {
			t.Errorf("QEMU after power-off: %v", err)
		}
	})
}

// TestTwoGenerations boots the newer generation by default and the older
// one when it is picked at the boot prompt over the serial console.
func TestTwoGenerations(t *testing.T) {
	f := build(t, []string{"", ""}, false, image.Options{Menu: bootloader.MenuOptions{Timeout: 8, Limit: 10}})
	firmwares(t, func(t *testing.T, fw vm.Firmware) {
		v := vm.Start(t, vm.Options{Image: f.img, Firmware: fw, Snapshot: true})
		v.MustExpect(`Generation 1 \(`, bootTimeout)
		v.MustExpect(`automatically in`, time.Minute)
		if got := booted(t, v); got != f.tops[1] {
			t.Errorf("default boot started %s, want the newer %s", got, f.tops[1])
		}
		v.Kill()

		v = vm.Start(t, vm.Options{Name: "pick-older-" + fw.String(), Image: f.img, Firmware: fw, Snapshot: true})
		v.MustExpect(`automatically in`, bootTimeout)
		if err := v.SendKeys(vm.KeyDown, vm.KeyEnter); err != nil {
			t.Fatal(err)
		}
		if got := booted(t, v); got != f.tops[0] {
			t.Errorf("after down+enter started %s, want the older %s", got, f.tops[0])
		}
	})
}

// TestMenuLimitAndTimeout: configurationLimit drops the oldest entries and
// the timeout is what the menu counts down from.
func TestMenuLimitAndTimeout(t *testing.T) {
	f := build(t, []string{"", "", ""}, false, image.Options{Menu: bootloader.MenuOptions{Timeout: 2, Limit: 2}})
	v := vm.Start(t, vm.Options{Image: f.img, Snapshot: true})
	v.MustExpect(`Generation 3 \(`, bootTimeout)
	v.MustExpect(`automatically in 2s`, time.Minute)
	if got := booted(t, v); got != f.tops[2] {
		t.Errorf("booted %s, want %s", got, f.tops[2])
	}
	out := vm.StripANSI(v.Console.Output())
	menu := out[strings.Index(out, "GNU GRUB"):strings.Index(out, "Booting")]
	if !strings.Contains(menu, "Generation 2 (") || strings.Contains(menu, "Generation 1 (") {
		t.Errorf("menu should list generations 3 and 2 only:\n%s", menu)
	}
}

// TestKernelMountsRoot has Linux mount the ext4 root written by package
// image and list its store and profile.
func TestKernelMountsRoot(t *testing.T) {
	f := build(t, []string{"testinit.mountroot"}, true, image.Options{})
	v := vm.Start(t, vm.Options{Image: f.img, Snapshot: true})
	booted(t, v)
	m := v.MustExpect(`FRAZIL-TESTINIT store=\[([^\]]*)\]`, time.Minute)
	for _, p := range f.res.Paths {
		if !strings.Contains(m[1], filepath.Base(p)) {
			t.Errorf("mounted store lacks %s: %s", p, m[1])
		}
	}
	m = v.MustExpect(`FRAZIL-TESTINIT profile=\[([^\]]*)\]`, time.Minute)
	if m[1] != "system-1-link" {
		t.Errorf("profile link = %q, want system-1-link", m[1])
	}
	if strings.Contains(v.Console.Output(), "EXT4-fs error") {
		t.Error("the kernel reported ext4 errors")
	}
}

// TestMinimalImageSize measures an image of one generation with 8 MiB free.
func TestMinimalImageSize(t *testing.T) {
	f := build(t, []string{""}, false, image.Options{})
	fi, err := os.Stat(f.img)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("minimal image: %d MiB (%s)", fi.Size()>>20, f.res.Layout)
	if fi.Size() >= 64<<20 {
		t.Errorf("minimal image is %d MiB, want under 64 MiB", fi.Size()>>20)
	}
}
