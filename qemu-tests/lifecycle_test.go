package qemutests

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/frazil/frazil/init/activation"
	"github.com/frazil/frazil/init/supervisor"
	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/qemu-tests/testsystem"
	"github.com/frazil/frazil/qemu-tests/vm"
	"github.com/frazil/frazil/store/storepath"
)

// lifecycleGenerations are the two generations of TestSystemLifecycle.
// Both run a web service answering with their label, a oneshot and a root
// shell on the serial console; v2 adds a service that crashes once, one
// that crashes every time and one that exists only in v2.
func lifecycleGenerations(p testsystem.Programs) (v1, v2 testsystem.Generation) {
	gen := func(label string, extra ...supervisor.Spec) testsystem.Generation {
		web := p.Service("web", "web", ":80", "frazil web "+label)
		web.Restart, web.After = supervisor.RestartAlways, []string{"setup"}
		setup := p.Service("setup", "oneshot", "/run/setup-done", label)
		setup.Type = supervisor.TypeOneshot
		return testsystem.Generation{
			Label:    label,
			Tools:    true,
			Services: append([]supervisor.Spec{testsystem.ConsoleService(), setup, web}, extra...),
			Activation: activation.Data{
				KernelModules: []string{"button", "evdev", "virtio_net"},
				Network:       testsystem.UserNetwork(),
				FileSystems:   []activation.FileSystem{testsystem.ESP()},
			},
		}
	}
	flaky := p.Service("flaky", "flaky", "/run/flaky-crashed")
	flaky.RestartSec = 0.5
	crash := p.Service("crashloop", "crash")
	crash.Restart, crash.RestartSec = supervisor.RestartAlways, 0.1
	return gen("v1"), gen("v2", flaky, crash, p.Service("extra", "idle", "only in v2"))
}

// machine is a booted test VM with its console shell.
type machine struct {
	t    *testing.T
	v    *vm.VM
	port int
}

// run runs a command on the console shell and returns its output; a
// non-zero status fails the test unless wantStatus says otherwise.
func (m *machine) run(command string, wantStatus ...int) string {
	m.t.Helper()
	out, status, err := m.v.Run(command, 2*time.Minute)
	if err != nil {
		m.t.Fatal(err)
	}
	want := 0
	if len(wantStatus) > 0 {
		want = wantStatus[0]
	}
	if want >= 0 && status != want {
		m.t.Errorf("%s: exit status %d, want %d; output:\n%s", command, status, want, out)
	}
	return strings.TrimSpace(out)
}

// booted waits for PID 1 of the expected generation and for its services
// to settle, and returns the settle line.
func (m *machine) booted(top storepath.Path) string {
	m.t.Helper()
	got := m.v.MustExpect(`frazil: stage 2 of (\S+) \(`, bootTimeout)[1]
	if got != string(top) {
		m.t.Errorf("PID 1 started %s, want %s", got, top)
	}
	return m.v.MustExpect(`frazil: (all services ready|services settled) \([0-9.]+s\)[^\n]*`, 2*time.Minute)[0]
}

// seen waits until the console has shown a line matching pattern,
// anywhere since the VM started (unlike Expect, in any order).
func (m *machine) seen(pattern string, timeout time.Duration) {
	m.t.Helper()
	re := regexp.MustCompile(pattern)
	for deadline := time.Now().Add(timeout); !re.MatchString(vm.StripANSI(m.v.Console.Output())); {
		if time.Now().After(deadline) {
			m.t.Fatalf("no console line matching %q within %v", pattern, timeout)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// seenCount waits until the console has shown n lines matching pattern.
func (m *machine) seenCount(pattern string, n int, timeout time.Duration) {
	m.t.Helper()
	re := regexp.MustCompile(pattern)
	for deadline := time.Now().Add(timeout); len(re.FindAllString(vm.StripANSI(m.v.Console.Output()), -1)) < n; {
		if time.Now().After(deadline) {
			m.t.Fatalf("fewer than %d console lines matching %q within %v", n, pattern, timeout)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// web checks that the web service answers from the host with want.
func (m *machine) web(want string) {
	m.t.Helper()
	body, err := httpGet(fmt.Sprintf("http://127.0.0.1:%d/", m.port), 2*time.Minute)
	if err != nil {
		m.t.Errorf("web service: %v", err)
	} else if strings.TrimSpace(body) != want {
		m.t.Errorf("web service answered %q, want %q", body, want)
	}
}

// services returns `frazil services --json` on the device by name.
func (m *machine) services() map[string]supervisor.Status {
	m.t.Helper()
	var list []supervisor.Status
	out := m.run("frazil services --json")
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		m.t.Fatalf("frazil services --json: %v\n%s", err, out)
	}
	byName := map[string]supervisor.Status{}
	for _, s := range list {
		byName[s.Name] = s
	}
	return byName
}

// power asks PID 1 to reboot or power off through `frazil reboot|poweroff`
// typed on the console (the shell goes away, so nothing waits for its
// prompt), and waits for PID 1's last line.
func (m *machine) power(action string) {
	m.t.Helper()
	if _, err := m.v.Console.Write([]byte("frazil " + action + "\n")); err != nil {
		m.t.Fatal(err)
	}
	m.v.MustExpect(`frazil: `+action+` \([0-9.]+s\)`, 2*time.Minute)
}

// TestSystemLifecycle boots one image with two generations of a real
// system (frazil-init, frazil-stage1, frazil, built from this tree) three
// times in one VM, and checks on the way:
//
//   - menu: picking the older generation at the boot prompt over the
//     serial console boots the older configuration (what runs: v1's
//     services, web answers "v1"), and the next boot is the newer again;
//   - services answer: the web service answers from the host;
//   - restarts: a service that crashes once is restarted after its
//     backoff and runs; one that always crashes is reported crash-looping
//     after 5 failures with doubling delays and is not restarted again;
//   - the store is read-only (EROFS), /etc entries, /bin/sh and
//     /run/current-system point into the current generation, the ESP is
//     mounted on /boot;
//   - rollback: `frazil generations rollback` on the device, then a
//     reboot, boots the previous generation by default;
//   - switch: `frazil rebuild switch --toplevel` on the device adds a
//     generation, rewrites the menu and has PID 1 activate it at once
//     (the console shell, unchanged, survives; web restarts with v2);
//   - power-off: `frazil poweroff` ends QEMU, and e2fsck -fn finds the
//     root filesystem clean (fsck.vfat -n the ESP).
func TestSystemLifecycle(t *testing.T) {
	e2fsck := testutil.RequireTool(t, "e2fsck", "apt-get install e2fsprogs")
	fsckVFAT := testutil.RequireTool(t, "fsck.vfat", "apt-get install dosfstools")
	b := systemBuilder(t)
	p, _ := b.Programs()
	v1, v2 := lifecycleGenerations(p)
	ph := startPhase(t, "build image (2 generations)")
	img := buildSystemImage(t, b, 5, v1, v2)
	ph.done()
	m := &machine{t: t, port: freePort(t)}
	m.v = vm.Start(t, vm.Options{Image: img.path, Firmware: vm.BIOS, ExtraArgs: userNet(m.port)})

	ph = startPhase(t, "menu: pick the older generation")
	m.v.MustExpect(`Frazil - Generation 2 \(`, bootTimeout)
	m.v.MustExpect(`automatically in`, time.Minute)
	if err := m.v.SendKeys(vm.KeyDown, vm.KeyEnter); err != nil {
		t.Fatal(err)
	}
	if settled := m.booted(img.tops[0]); !strings.Contains(settled, "all services ready") {
		t.Errorf("v1 settled with %q, want all services ready", settled)
	}
	m.web("frazil web v1")
	st := m.services()
	if _, ok := st["extra"]; ok || st["web"].State != supervisor.StateRunning || st["setup"].State != supervisor.StateExited {
		t.Errorf("v1 services: %+v", st)
	}
	if got := m.run("cat /etc/frazil-generation /run/setup-done"); got != "v1\nv1" {
		t.Errorf("generation files say %q, want v1 twice", got)
	}
	m.power("reboot")
	ph.done()

	ph = startPhase(t, "default boot: the newer generation; services, restarts, store, /etc")
	// crashloop is a simple service, ready once started: it does not
	// hold up readiness, and is reported when it turns out to crash-loop.
	if settled := m.booted(img.tops[1]); !strings.Contains(settled, "all services ready") {
		t.Errorf("v2 settled with %q, want all services ready", settled)
	}
	m.seen(`frazil: crashloop: exited with status 1; crash-looping`, time.Minute)
	m.seen(`flaky: up after a crash`, time.Minute)
	m.web("frazil web v2")
	checkRestarts(t, m)
	checkCurrentGeneration(t, m, b.Store, img.tops[1])
	ph.done()

	ph = startPhase(t, "rollback on the device, reboot")
	out := m.run("frazil generations rollback")
	for _, want := range []string{"switching profile from version 2 to 1", `default "Frazil - Generation 1 (`} {
		if !strings.Contains(out, want) {
			t.Errorf("rollback output lacks %q:\n%s", want, out)
		}
	}
	m.power("reboot")
	m.booted(img.tops[0])
	m.web("frazil web v1")
	if got := m.run("readlink /run/current-system"); got != string(img.tops[0]) {
		t.Errorf("after rollback current-system = %q, want %s", got, img.tops[0])
	}
	if out := m.run("frazil generations list"); !regexp.MustCompile(`(?m)^\s*1 .*\(current\)`).MatchString(out) {
		t.Errorf("generation 1 is not current after the rollback:\n%s", out)
	}
	ph.done()

	ph = startPhase(t, "switch on the device: rebuild switch activates the newer generation")
	out = m.run("frazil rebuild switch --toplevel " + string(img.tops[1]))
	// Like nix-env --set, the profile reuses its newest generation (2,
	// v2) instead of adding a third that points at the same system.
	for _, want := range []string{"generation 2 of /nix/var/nix/profiles/system already points at", `default "Frazil - Generation 2 (`,
		"activating " + string(img.tops[1]), "started: crashloop, extra, flaky", "restarted: setup, web"} {
		if !strings.Contains(out, want) {
			t.Errorf("rebuild switch output lacks %q:\n%s", want, out)
		}
	}
	m.seenCount(`frazil: crashloop: exited with status 1; crash-looping`, 2, time.Minute)
	m.seenCount(`flaky: up after a crash`, 2, time.Minute)
	m.web("frazil web v2")
	for _, c := range []struct{ cmd, want string }{
		{"readlink /run/current-system", string(img.tops[1])},
		{"readlink /run/booted-system", string(img.tops[0])},
		{"cat /etc/frazil-generation /run/setup-done", "v2\nv2"},
	} {
		if got := m.run(c.cmd); got != c.want {
			t.Errorf("after the switch: %s = %q, want %q", c.cmd, got, c.want)
		}
	}
	if st := m.services()["extra"]; st.State != supervisor.StateRunning {
		t.Errorf("after the switch extra is %s, want running", st.State)
	}
	ph.done()

	ph = startPhase(t, "power-off leaves the filesystems clean")
	m.power("poweroff")
	if err := m.v.Wait(2 * time.Minute); err != nil {
		t.Errorf("QEMU after poweroff: %v", err)
	}
	root := partitionFile(t, img.path, img.layout.Root)
	if out, err := exec.Command(e2fsck, "-fn", root).CombinedOutput(); err != nil {
		t.Errorf("e2fsck -fn on the root after poweroff: %v\n%s", err, out)
	}
	esp := partitionFile(t, img.path, img.layout.ESP)
	if out, err := exec.Command(fsckVFAT, "-n", esp).CombinedOutput(); err != nil || strings.Contains(string(out), "dirty") {
		t.Errorf("fsck.vfat -n on the ESP after poweroff: %v\n%s", err, out)
	}
	ph.done()
	if strings.Contains(m.v.Console.Output(), "panic") {
		t.Errorf("the console shows a panic")
	}
}

// checkRestarts: flaky crashed once and runs again after its backoff;
// crashloop is crash-looping after 5 failures with doubling delays, and
// stays so (no hot loop).
func checkRestarts(t *testing.T, m *machine) {
	t.Helper()
	out := m.v.Console.Output()
	if !strings.Contains(out, "frazil: flaky: exited with status 1; restarting in 500ms") {
		t.Errorf("no backoff line for flaky on the console")
	}
	delays := regexp.MustCompile(`frazil: crashloop: exited with status 1; restarting in (\S+)`).FindAllStringSubmatch(vm.StripANSI(out), -1)
	var got []string
	for _, d := range delays {
		got = append(got, d[1])
	}
	if strings.Join(got, " ") != "100ms 200ms 400ms 800ms" {
		t.Errorf("crashloop restart delays %q, want 100ms 200ms 400ms 800ms", got)
	}
	if !regexp.MustCompile(`frazil: crashloop: exited with status 1; crash-looping \(5 failures within 1m0s\), next try in 5m0s`).MatchString(out) {
		t.Errorf("crashloop was not reported as crash-looping on the console")
	}
	st := m.services()
	if s := st["flaky"]; s.State != supervisor.StateRunning || s.Restarts != 1 {
		t.Errorf("flaky: state %s, %d restarts; want running after 1", s.State, s.Restarts)
	}
	first := st["crashloop"]
	if first.State != supervisor.StateCrashLooping || first.Restarts != 5 {
		t.Errorf("crashloop: state %s, %d restarts; want crash-looping after 5", first.State, first.Restarts)
	}
	m.run("sleep 3")
	if again := m.services()["crashloop"]; again.Restarts != first.Restarts || again.State != supervisor.StateCrashLooping {
		t.Errorf("crashloop hot-loops: %d restarts, then %d (%s) 3s later", first.Restarts, again.Restarts, again.State)
	}
	if logs := m.run("frazil logs -n 3 crashloop"); !strings.Contains(logs, "crash-looping") {
		t.Errorf("frazil logs crashloop lacks the crash-loop report:\n%s", logs)
	}
}

// checkCurrentGeneration: the store is read-only and /etc, /bin/sh and
// /run/current-system point into top; the ESP is on /boot.
func checkCurrentGeneration(t *testing.T, m *machine, b interface{ RealPath(storepath.Path) string }, top storepath.Path) {
	t.Helper()
	if out := m.run("touch /nix/store/probe", 1); !strings.Contains(out, "read-only file system") {
		t.Errorf("writing into the store: %q, want a read-only file system error", out)
	}
	mounts := m.run("cat /proc/mounts")
	if !regexp.MustCompile(`(?m)^\S+ /nix/store ext4 ro,nosuid,nodev`).MatchString(mounts) {
		t.Errorf("/nix/store is not mounted ro,nosuid,nodev:\n%s", mounts)
	}
	if !regexp.MustCompile(`(?m)^/dev/vda2 /boot vfat `).MatchString(mounts) {
		t.Errorf("the ESP is not mounted on /boot:\n%s", mounts)
	}
	etcTree := readHostLink(t, b.RealPath(top)+"/etc")
	for _, c := range []struct{ cmd, want string }{
		{"readlink /run/current-system", string(top)},
		{"readlink /run/booted-system", string(top)},
		{"readlink /etc/static", string(top) + "/etc"},
		{"readlink " + string(top) + "/etc", etcTree},
		{"cat /etc/motd", "Frazil test system v2"},
		{"readlink /etc/motd", "/etc/static/motd"},
		{"readlink /etc/frazil-generation", "/etc/static/frazil-generation"},
		{"cat /etc/frazil-generation", "v2"},
		{"readlink /bin/sh", string(top) + "/sw/bin/sh"},
	} {
		if got := m.run(c.cmd); got != c.want {
			t.Errorf("%s = %q, want %q", c.cmd, got, c.want)
		}
	}
}

func readHostLink(t *testing.T, p string) string {
	t.Helper()
	target, err := os.Readlink(p)
	if err != nil {
		t.Fatal(err)
	}
	return target
}
