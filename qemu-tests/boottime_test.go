package qemutests

import (
	"fmt"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/frazil/frazil/qemu-tests/testsystem"
	"github.com/frazil/frazil/qemu-tests/vm"
	"github.com/frazil/frazil/store/storepath"
)

// TestBootTime measures, in one run, the minimal test system booting to
// "all services ready" next to the same kernel, loader and image layout
// booting a trivial init that prints the monotonic time and powers off;
// and the minimal image's size and closure size. It asserts nothing about
// time: the figures are logged, with a BOOTTIME line scripts/bench-boot
// reads.
func TestBootTime(t *testing.T) {
	b := systemBuilder(t)
	p, _ := b.Programs()
	minimal := testsystem.Minimal(p)
	if os.Getenv("FRAZIL_BOOT_DEBUG") == "1" { // timestamps per step of stage 1 and PID 1
		minimal.KernelParams = append(append([]string{}, testsystem.DefaultKernelParams...), "frazil.debug")
	}
	trivial := testsystem.Minimal(p)
	trivial.Label, trivial.TrivialInit = "trivial", true

	img := buildSystemImage(t, b, 0, minimal)
	var closure uint64
	for _, path := range img.paths {
		info, err := b.Store.QueryPathInfo(storepath.Path(path))
		if err != nil {
			t.Fatal(err)
		}
		closure += info.NarSize
	}
	var st syscall.Stat_t
	if err := syscall.Stat(img.path, &st); err != nil {
		t.Fatal(err)
	}
	t.Logf("minimal image: %.1f MiB (%.1f MiB allocated, sparse), closure %d paths, %.1f MiB (NAR size)",
		mibs(st.Size), mibs(st.Blocks*512), len(img.paths), mibs(int64(closure)))

	start := time.Now()
	v := vm.Start(t, vm.Options{Name: "boottime-frazil", Image: img.path, Snapshot: true, ExtraArgs: userNet(freePort(t))})
	stage1 := seconds(t, v.MustExpect(`frazil-stage1: started \(([0-9.]+)s\)`, bootTimeout)[1])
	pid1 := seconds(t, v.MustExpect(`frazil: stage 2 of \S+ \(([0-9.]+)s\)`, time.Minute)[1])
	ready := seconds(t, v.MustExpect(`frazil: all services ready \(([0-9.]+)s\)`, time.Minute)[1])
	wall := time.Since(start).Seconds()
	v.Kill()

	trivialImg := buildSystemImage(t, b, 0, trivial)
	start = time.Now()
	v = vm.Start(t, vm.Options{Name: "boottime-trivial", Image: trivialImg.path, Snapshot: true})
	trivialReady := seconds(t, v.MustExpect(`trivial init ready \(([0-9.]+)s\)`, bootTimeout)[1])
	trivialWall := time.Since(start).Seconds()
	v.Kill()

	t.Logf("QEMU start to ready (host wall time, TCG): frazil %.2fs, trivial init %.2fs", wall, trivialWall)
	t.Logf("guest CLOCK_MONOTONIC: trivial init ready %.3fs; frazil stage 1 %.3fs, PID 1 %.3fs, all services ready %.3fs",
		trivialReady, stage1, pid1, ready)
	t.Logf("PID 1's own share (stage 2 start to all services ready): %.0f ms; stage 1: %.0f ms; beyond the trivial init: %.0f ms",
		(ready-pid1)*1000, (pid1-stage1)*1000, (ready-trivialReady)*1000)
	t.Logf("BOOTTIME wall=%.3f trivialwall=%.3f stage1=%.3f pid1=%.3f ready=%.3f trivial=%.3f image=%d allocated=%d closure=%d paths=%d",
		wall, trivialWall, stage1, pid1, ready, trivialReady, st.Size, st.Blocks*512, closure, len(img.paths))
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "host load average: %s\n", loadavg())
	}
}

func seconds(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad seconds %q", s)
	}
	return f
}

func mibs(n int64) float64 { return float64(n) / (1 << 20) }

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	return string(b)
}
