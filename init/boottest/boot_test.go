package boottest

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frazil/frazil/init/activation"
	"github.com/frazil/frazil/init/stage1"
	"github.com/frazil/frazil/init/supervisor"
	"github.com/frazil/frazil/internal/kerneltest"
	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/kernel"
	"github.com/frazil/frazil/kernel/kmod"
	"github.com/frazil/frazil/rootfs/initrd"
	"github.com/frazil/frazil/store/storepath"
)

// goBuild builds a static binary of pkg (relative to the repository root).
func goBuild(t *testing.T, pkg, out string) {
	t.Helper()
	goTool := testutil.RequireTool(t, "go", "install Go")
	cmd := exec.Command(goTool, "build", "-trimpath", "-ldflags=-s -w", "-o", out, pkg)
	cmd.Dir = filepath.Join("..", "..")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
}

// storePath names a store path for test content (a text-style path of the
// name, so it is valid and stable).
func storePath(t *testing.T, name string) string {
	t.Helper()
	sum := sha256.Sum256([]byte("boottest " + name))
	p, err := storepath.MakeText(name, sum[:], nil)
	if err != nil {
		t.Fatal(err)
	}
	return string(p)
}

func copyFile(t *testing.T, src, dst string, mode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(dst), 0o755)
	if err := os.WriteFile(dst, data, mode); err != nil {
		t.Fatal(err)
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// modulesSubset copies the closure of names from the kernel's module
// directory into dst with a matching modules.dep (the toplevel's
// kernel-modules, trimmed so the test disk stays small).
func modulesSubset(t *testing.T, tree *kernel.Tree, names []string, dst string) {
	t.Helper()
	src := filepath.Join(tree.Dir, "lib/modules", tree.Version)
	mods, err := kmod.ReadModules(src)
	if err != nil {
		t.Fatal(err)
	}
	order, err := mods.Closure(names)
	if err != nil {
		t.Fatal(err)
	}
	var dep strings.Builder
	for _, m := range order {
		copyFile(t, filepath.Join(src, m), filepath.Join(dst, m), 0o444)
		fmt.Fprintf(&dep, "%s: %s\n", m, strings.Join(mods.Deps(m), " "))
	}
	os.WriteFile(filepath.Join(dst, "modules.dep"), []byte(dep.String()), 0o444)
	os.WriteFile(filepath.Join(dst, "modules.alias"), nil, 0o444)
}

// system is the test's root filesystem and what boots it.
type system struct {
	kernel, initrd, disk, toplevel string
}

// buildSystem assembles the store, toplevel, root disk and initrd per
// docs/architecture.md.
func buildSystem(t *testing.T, tree *kernel.Tree, withCtl bool) system {
	mke2fs := testutil.RequireTool(t, "mke2fs", "apt-get install e2fsprogs")
	work := t.TempDir()
	root := filepath.Join(work, "root")
	initBin := storePath(t, "frazil-init") + "/bin/init"
	svcBin := storePath(t, "boottest-svc") + "/bin/svc"
	goBuild(t, "./cmd/frazil-init", filepath.Join(root, initBin))
	goBuild(t, "./init/boottest/testdata/svc", filepath.Join(root, svcBin))
	etc := storePath(t, "etc") + "/etc"
	os.MkdirAll(filepath.Join(root, etc), 0o755)
	os.WriteFile(filepath.Join(root, etc, "motd"), []byte("welcome to the boot test\n"), 0o444)
	mods := storePath(t, "kernel-modules")
	modulesSubset(t, tree, []string{"button", "evdev", "virtio_net"}, filepath.Join(root, mods, tree.Version))

	top := storePath(t, "frazil-system-boottest-test")
	for name, target := range map[string]string{"init": initBin, "etc": etc, "kernel-modules": mods} {
		os.MkdirAll(filepath.Join(root, top), 0o755)
		if err := os.Symlink(target, filepath.Join(root, top, name)); err != nil {
			t.Fatal(err)
		}
	}
	svc := func(name, mode string, f func(*supervisor.Spec)) supervisor.Spec {
		s := supervisor.Spec{Name: name, Exec: []string{svcBin, mode}, WantedBy: []string{supervisor.DefaultTarget}}
		if f != nil {
			f(&s)
		}
		return s
	}
	services := []supervisor.Spec{
		svc("marker", "marker", func(s *supervisor.Spec) {
			s.User = "svcuser"
			s.Environment = map[string]string{"GREETING": "hi"}
			s.After = []string{"setup"}
			s.Requires = []string{"setup"}
		}),
		svc("setup", "oneshot", func(s *supervisor.Spec) { s.Type = supervisor.TypeOneshot }),
		svc("crasher", "crash", func(s *supervisor.Spec) { s.Restart = supervisor.RestartAlways; s.RestartSec = 0.2 }),
	}
	if withCtl {
		services = append(services, svc("ctl", "ctl", func(s *supervisor.Spec) { s.After = []string{"marker"} }))
	}
	writeJSON(t, filepath.Join(root, top, "services.json"), supervisor.File{Services: services})
	data := activation.Data{
		HostName:      "boottest",
		Users:         []activation.User{{Name: "svcuser", UID: 1000, Group: "users", Home: "/home/svcuser", IsNormalUser: true}},
		KernelModules: []string{"button", "evdev"},
	}
	if withCtl { // with QEMU's user-mode network: DHCP from QEMU itself
		data.KernelModules = append(data.KernelModules, "virtio_net")
		data.Network.Interfaces = []activation.Interface{{Name: "eth0", DHCP: true}}
	}
	writeJSON(t, filepath.Join(root, top, "activation.json"), data)
	os.WriteFile(filepath.Join(root, top, "system"), []byte("x86_64-linux"), 0o444)
	os.MkdirAll(filepath.Join(root, "nix/var/nix"), 0o755)
	// A random seed, as an installer writes one: the guest has no hardware
	// RNG, and DHCP needs the kernel's generator.
	seed := make([]byte, 512)
	rand.Read(seed)
	os.MkdirAll(filepath.Join(root, "var/lib/frazil"), 0o755)
	if err := os.WriteFile(filepath.Join(root, "var/lib/frazil/random-seed"), seed, 0o600); err != nil {
		t.Fatal(err)
	}

	sys := system{kernel: filepath.Join(tree.Dir, tree.Image), toplevel: top,
		disk: filepath.Join(work, "disk.img"), initrd: filepath.Join(work, "initrd")}
	if out, err := exec.Command(mke2fs, "-q", "-F", "-t", "ext4", "-L", "frazil-root", "-d", root, sys.disk, "128M").CombinedOutput(); err != nil {
		t.Fatalf("mke2fs: %v\n%s", err, out)
	}
	stage1Bin := filepath.Join(work, "frazil-stage1")
	goBuild(t, "./cmd/frazil-stage1", stage1Bin)
	err := initrd.BuildFile(sys.initrd, initrd.Options{
		Stage1:     stage1Bin,
		ModulesDir: filepath.Join(tree.Dir, "lib/modules", tree.Version),
		Modules:    []string{"virtio_pci", "virtio_blk", "ext4"},
		Config:     stage1.DefaultConfig(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return sys
}

// vm is a running QEMU with its serial console.
type vm struct {
	t     *testing.T
	cmd   *exec.Cmd
	args  []string
	start time.Time
	lines chan line
	mu    sync.Mutex
	log   []string
	done  chan error
}

type line struct {
	text string
	at   time.Duration // since QEMU started (host time)
}

func startVM(t *testing.T, kernelImage, initrdPath, disk, appendLine string, extra ...string) *vm {
	t.Helper()
	qemu := testutil.RequireTool(t, "qemu-system-x86_64", "apt-get install qemu-system-x86")
	args := []string{"-machine", "pc", "-accel", "tcg", "-m", "512", "-smp", "1",
		"-nodefaults", "-nographic", "-serial", "stdio", "-no-reboot",
		"-kernel", kernelImage, "-initrd", initrdPath, "-append", appendLine}
	if disk != "" {
		args = append(args, "-drive", "file="+disk+",if=virtio,format=raw")
	}
	args = append(args, extra...)
	// BOOTTEST_ICOUNT=N ties the guest clock to executed instructions
	// (2^N ns each) instead of host time, so boot-time figures do not depend
	// on the host's load (scripts/boot-time sets it).
	if shift := os.Getenv("BOOTTEST_ICOUNT"); shift != "" {
		args = append(args, "-icount", "shift="+shift+",sleep=off")
	}
	v := &vm{t: t, cmd: exec.Command(qemu, args...), args: append([]string{qemu}, args...), lines: make(chan line, 1000), done: make(chan error, 1)}
	stdout, err := v.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	v.cmd.Stderr = v.cmd.Stdout
	v.start = time.Now()
	if err := v.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go v.read(stdout)
	t.Cleanup(func() {
		v.cmd.Process.Kill()
		<-v.done
		if t.Failed() {
			t.Logf("QEMU command line:\n%s", shellQuote(v.args))
		}
		if t.Failed() || testing.Verbose() {
			t.Logf("console:\n%s", strings.Join(v.consoleLog(), "\n"))
		}
	})
	return v
}

func (v *vm) read(r io.Reader) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		text := ansiEscape.ReplaceAllString(strings.TrimRight(sc.Text(), "\r"), "")
		l := line{text: text, at: time.Since(v.start)}
		v.mu.Lock()
		v.log = append(v.log, fmt.Sprintf("[%7.3f] %s", l.at.Seconds(), l.text))
		v.mu.Unlock()
		select {
		case v.lines <- l:
		default: // nobody is reading that far ahead; the log keeps it
		}
	}
	close(v.lines)
	v.done <- v.cmd.Wait()
}

// ansiEscape matches the terminal resets firmware and the kernel print.
var ansiEscape = regexp.MustCompile(`\x1b(\[[0-9;?]*[a-zA-Z]|c)`)

func (v *vm) consoleLog() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string{}, v.log...)
}

// expect waits for a console line matching re and returns its submatches.
func (v *vm) expect(re string, timeout time.Duration) ([]string, line) {
	v.t.Helper()
	rx := regexp.MustCompile(re)
	deadline := time.After(timeout)
	for {
		select {
		case l, ok := <-v.lines:
			if !ok {
				v.t.Fatalf("QEMU exited while waiting for %q", re)
			}
			if m := rx.FindStringSubmatch(l.text); m != nil {
				return m, l
			}
		case <-deadline:
			v.t.Fatalf("no console line matching %q within %v", re, timeout)
		}
	}
}

// waitExit waits for QEMU to exit by itself (poweroff with -no-reboot).
func (v *vm) waitExit(timeout time.Duration) {
	v.t.Helper()
	for {
		select {
		case _, ok := <-v.lines:
			if ok {
				continue
			}
			return
		case <-time.After(timeout):
			v.t.Fatalf("QEMU still running %v after the expected poweroff", timeout)
		}
	}
}

func shellQuote(args []string) string {
	var q []string
	for _, a := range args {
		if strings.ContainsAny(a, " =\"'") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		q = append(q, a)
	}
	return strings.Join(q, " ")
}

func seconds(t *testing.T, s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("bad seconds %q", s)
	}
	return f
}

// TestBoot boots a generation and follows it from stage 1 to poweroff.
func TestBoot(t *testing.T) {
	tree := kerneltest.Tree(t, "amd64")
	sys := buildSystem(t, tree, true)
	// The network is QEMU's user mode: its DHCP server answers inside QEMU,
	// and the guest sends nothing beyond it.
	v := startVM(t, sys.kernel, sys.initrd, sys.disk,
		"console=ttyS0 quiet panic=-1 frazil.debug root=LABEL=frazil-root init="+sys.toplevel+"/init",
		"-nic", "user,model=virtio-net-pci,restrict=on")
	const limit = 240 * time.Second // generous: TCG on a shared 2-core machine
	v.expect(`^frazil: poweroff \(`, limit)
	v.waitExit(60 * time.Second)
	c := console{t: t, lines: v.consoleLog()}
	stage1Start := seconds(t, c.find(`frazil-stage1: started \(([0-9.]+)s\)`)[1])
	c.find(`^frazil-stage1: (\[[0-9.]+\] )?root LABEL=frazil-root is /dev/vda$`)
	m := c.find(`^frazil: stage 2 of (\S+) \(([0-9.]+)s\)`)
	if m[1] != sys.toplevel {
		t.Errorf("PID 1 found toplevel %s, want %s", m[1], sys.toplevel)
	}
	pid1Start := seconds(t, m[2])
	c.find(`^marker: boottest: marker running as uid 1000 home /home/svcuser greeting hi$`)
	c.find(`^frazil: crasher: exited with status 1; restarting in 200ms$`)
	c.find(`^frazil: crasher: exited with status 1; restarting in 400ms$`)
	readyAt := seconds(t, c.find(`^frazil: all services ready \(([0-9.]+)s\)$`)[1])
	services := c.find(`^ctl: boottest: services: (.*)$`)[1]
	for _, want := range []string{"setup=exited/0", "marker=running/0", "ctl=running/0"} {
		if !strings.Contains(services, want) {
			t.Errorf("services %q lack %s", services, want)
		}
	}
	c.find(`^ctl: boottest: log: boottest: marker running`)
	c.find(`^ctl: boottest: passwd has svcuser: true`)
	c.find(`^frazil: dhcp eth0: 10\.0\.2\.15/24 for `)
	c.find(`^ctl: boottest: hostname boottest, addresses: 127\.0\.0\.1/8 .*10\.0\.2\.15/24`)
	c.find(`^frazil: poweroff: stopping services$`)
	c.order(`frazil-stage1: started`, `^frazil: stage 2 of`, `^frazil: setup: finished`, `^frazil: marker: started`,
		`^frazil: all services ready`, `^frazil: poweroff: stopping services`, `^frazil: ctl: stopped`, `^frazil: marker: stopped`, `^frazil: poweroff \(`)
	if c.has(`internal error|panic:|fatal error`) {
		t.Errorf("console shows a panic")
	}
	t.Logf("boot (guest monotonic): stage 1 started %.3fs, PID 1 started %.3fs, all services ready %.3fs; "+
		"stage 1 took %.3fs, PID 1 to ready %.3fs", stage1Start, pid1Start, readyAt, pid1Start-stage1Start, readyAt-pid1Start)
	t.Logf("BOOTTIME frazil stage1=%.3f pid1=%.3f ready=%.3f", stage1Start, pid1Start, readyAt)
}

// console searches a finished boot's console log.
type console struct {
	t     *testing.T
	lines []string // "[host seconds] text"
}

func (c console) index(re string) (int, []string) {
	rx := regexp.MustCompile(re)
	for i, l := range c.lines {
		if _, text, ok := strings.Cut(l, "] "); ok {
			if m := rx.FindStringSubmatch(text); m != nil {
				return i, m
			}
		}
	}
	return -1, nil
}

func (c console) has(re string) bool { i, _ := c.index(re); return i >= 0 }

// find returns the submatches of the first line matching re, or fails.
func (c console) find(re string) []string {
	c.t.Helper()
	i, m := c.index(re)
	if i < 0 {
		c.t.Fatalf("no console line matches %q", re)
	}
	return m
}

// order checks that the first lines matching res appear in that order.
func (c console) order(res ...string) {
	c.t.Helper()
	last := -1
	for _, re := range res {
		i, _ := c.index(re)
		if i < 0 || i < last {
			c.t.Errorf("%q at line %d, expected after line %d", re, i, last)
		}
		last = i
	}
}

// TestPowerButton presses the ACPI power button through the QEMU monitor
// once services are ready: PID 1 must stop them and power off.
func TestPowerButton(t *testing.T) {
	tree := kerneltest.Tree(t, "amd64")
	sys := buildSystem(t, tree, false)
	monitor := filepath.Join(t.TempDir(), "monitor.sock")
	v := startVM(t, sys.kernel, sys.initrd, sys.disk,
		"console=ttyS0 quiet panic=-1 root=LABEL=frazil-root init="+sys.toplevel+"/init",
		"-monitor", "unix:"+monitor+",server=on,wait=off")
	v.expect(`^frazil: all services ready`, 240*time.Second)
	v.expect(`^marker: boottest: marker running`, 60*time.Second)
	conn, err := net.Dial("unix", monitor)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write([]byte("system_powerdown\n")); err != nil {
		t.Fatal(err)
	}
	v.expect(`^frazil: power button pressed$`, 60*time.Second)
	v.expect(`^frazil: marker: stopped`, 60*time.Second)
	v.expect(`^frazil: poweroff \(`, 60*time.Second)
	v.waitExit(60 * time.Second)
}

// TestTrivialInitBaseline boots the same kernel with a trivial Go init in
// the initrd, the baseline for the boot-time comparison.
func TestTrivialInitBaseline(t *testing.T) {
	tree := kerneltest.Tree(t, "amd64")
	work := t.TempDir()
	bin := filepath.Join(work, "trivial")
	goBuild(t, "./init/boottest/testdata/trivial", bin)
	img := filepath.Join(work, "initrd")
	if err := initrd.BuildFile(img, initrd.Options{Stage1: bin, ModulesDir: filepath.Join(tree.Dir, "lib/modules", tree.Version)}); err != nil {
		t.Fatal(err)
	}
	v := startVM(t, filepath.Join(tree.Dir, tree.Image), img, "", "console=ttyS0 quiet panic=-1")
	m, l := v.expect(`trivial init ready \(([0-9.]+)s\)$`, 120*time.Second) // may share a line with the firmware's last
	v.waitExit(60 * time.Second)
	t.Logf("trivial init (guest monotonic): ready %.3fs; host wall time %.3fs", seconds(t, m[1]), l.at.Seconds())
	t.Logf("BOOTTIME trivial ready=%s", m[1])
}

// TestStage1ReportsMissingRoot boots with a root that does not exist:
// stage 1 must say so on the console and offer the rescue prompt.
func TestStage1ReportsMissingRoot(t *testing.T) {
	tree := kerneltest.Tree(t, "amd64")
	work := t.TempDir()
	stage1Bin := filepath.Join(work, "frazil-stage1")
	goBuild(t, "./cmd/frazil-stage1", stage1Bin)
	img := filepath.Join(work, "initrd")
	cfg := stage1.DefaultConfig()
	cfg.RootWaitSeconds = 2
	if err := initrd.BuildFile(img, initrd.Options{Stage1: stage1Bin, ModulesDir: filepath.Join(tree.Dir, "lib/modules", tree.Version),
		Modules: []string{"virtio_pci", "virtio_blk", "ext4"}, Config: cfg}); err != nil {
		t.Fatal(err)
	}
	v := startVM(t, filepath.Join(tree.Dir, tree.Image), img, "",
		"console=ttyS0 quiet panic=-1 frazil.shell root=LABEL=nowhere init=/nix/store/x/init")
	v.expect(`^frazil-stage1: error: root device LABEL=nowhere not found after 2s; block devices: none`, 120*time.Second)
	v.expect(`starting the rescue prompt`, 10*time.Second)
}
