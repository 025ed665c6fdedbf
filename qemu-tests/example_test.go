package qemutests

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frazil/frazil/image"
	"github.com/frazil/frazil/init/supervisor"
	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/qemu-tests/vm"
	"github.com/frazil/frazil/store/storepath"
)

// TestExampleWebAppliance is the user's path from a configuration.nix to a
// running machine: examples/web-appliance is evaluated with the module
// system, its packages are built from this tree (the Go toolchain, u-root,
// frazil, the hello-web service), `frazil rebuild build-image` writes the
// disk image, and the image boots under QEMU with BIOS. The test then
// checks what the configuration declared: the HTTP service answers from
// the host with the greeting built from networking.hostName, the SSH
// server greets, the services run as their users, /etc carries the
// declared file, and an ACPI power-off (QEMU's power button) stops the
// machine with its root file system clean.
func TestExampleWebAppliance(t *testing.T) {
	e2fsck := testutil.RequireTool(t, "e2fsck", "apt-get install e2fsprogs")
	testutil.RequireTool(t, "go", "install Go")
	testutil.RequireTool(t, "grub-mkimage", "make setup")
	testutil.RequireTool(t, vm.Binary("x86_64"), "make setup")
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	storeDir := os.Getenv("FRAZIL_TEST_STORE")
	if storeDir == "" {
		storeDir = t.TempDir()
	}
	bin := filepath.Join(t.TempDir(), "frazil")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/frazil").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	ph := startPhase(t, "rebuild build-image examples/web-appliance")
	img := filepath.Join(t.TempDir(), "disk.img")
	cmd := exec.Command(bin, "rebuild", "build-image", "--store", storeDir, "-I", "frazil="+repo,
		"-f", filepath.Join(repo, "examples/web-appliance/configuration.nix"), "--system", "x86_64-linux",
		"-o", img, "-j", "2", "--json")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("frazil rebuild build-image: %v\n%s", err, tail(stderr.String(), 40))
	}
	var res struct {
		Toplevel storepath.Path `json:"toplevel"`
		Layout   image.Layout   `json:"layout"`
		Paths    []string       `json:"paths"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("frazil rebuild build-image --json: %v\n%s", err, stdout.String())
	}
	st, err := os.Stat(img)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("image %s: %d MiB, %d store paths, toplevel %s", img, st.Size()>>20, len(res.Paths), res.Toplevel)
	ph.done()

	ph = startPhase(t, "boot; the declared services answer")
	webPort, sshPort := freePort(t), freePort(t)
	m := &machine{t: t}
	m.v = vm.Start(t, vm.Options{Image: img, Firmware: vm.BIOS, ExtraArgs: []string{
		"-netdev", fmt.Sprintf("user,id=n0,hostfwd=tcp:127.0.0.1:%d-:8080,hostfwd=tcp:127.0.0.1:%d-:22", webPort, sshPort),
		"-device", "virtio-net-pci,netdev=n0"}})
	if settled := m.booted(res.Toplevel); !strings.Contains(settled, "all services ready") {
		t.Errorf("the example settled with %q, want all services ready", settled)
	}
	body, err := httpGet(fmt.Sprintf("http://127.0.0.1:%d/", webPort), 2*time.Minute)
	if err != nil {
		t.Errorf("hello-web: %v", err)
	} else if want := `^Hello from web! \(request [0-9]+\)\n$`; !regexp.MustCompile(want).MatchString(body) {
		t.Errorf("hello-web answered %q, want a match of %q", body, want)
	}
	if banner, err := sshBanner(fmt.Sprintf("127.0.0.1:%d", sshPort), time.Minute); err != nil || !strings.HasPrefix(banner, "SSH-2.0-") {
		t.Errorf("sshd: banner %q, %v", banner, err)
	}
	svcs := m.services()
	for _, name := range []string{"hello-web", "sshd", "console-shell"} {
		if svcs[name].State != supervisor.StateRunning {
			t.Errorf("service %s: %+v, want running", name, svcs[name])
		}
	}
	// hello-web counts what it served in its state directory, writable by
	// the user web only (HTTP clients may retry, so at least 1).
	if n, err := strconv.Atoi(m.run("cat /var/lib/web/requests")); err != nil || n < 1 {
		t.Errorf("/var/lib/web/requests: %d, %v; want a count of at least 1", n, err)
	}
	// hello-web runs as the system user web (uid 999, from users.users).
	if pid := svcs["hello-web"].PID; pid > 0 {
		if got := m.run(fmt.Sprintf("grep Uid: /proc/%d/status", pid)); !strings.HasPrefix(strings.Join(strings.Fields(got), " "), "Uid: 999 999") {
			t.Errorf("hello-web's credentials: %q, want uid 999", got)
		}
	}
	for _, c := range []struct{ cmd, want string }{
		{"hostname", "web"},
		{"cat /etc/hello-web/motd", "This appliance serves http://web:8080/"},
		{"readlink /run/current-system", string(res.Toplevel)},
		{"readlink /bin/sh", string(res.Toplevel) + "/sw/bin/sh"},
	} {
		if got := m.run(c.cmd); got != c.want {
			t.Errorf("%s = %q, want %q", c.cmd, got, c.want)
		}
	}
	ph.done()

	ph = startPhase(t, "ACPI power-off leaves the root file system clean")
	if err := m.v.PowerOff(); err != nil {
		t.Fatal(err)
	}
	m.v.MustExpect(`frazil: poweroff \([0-9.]+s\)`, 2*time.Minute)
	if err := m.v.Wait(2 * time.Minute); err != nil {
		t.Errorf("QEMU after poweroff: %v", err)
	}
	root := partitionFile(t, img, res.Layout.Root)
	if out, err := exec.Command(e2fsck, "-fn", root).CombinedOutput(); err != nil {
		t.Errorf("e2fsck -fn on the root after poweroff: %v\n%s", err, out)
	}
	ph.done()
}

// sshBanner connects to addr until it answers and returns the server's
// first line (its identification string).
func sshBanner(addr string, timeout time.Duration) (string, error) {
	deadline := time.Now().Add(timeout)
	for {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err == nil {
			c.SetReadDeadline(time.Now().Add(10 * time.Second))
			line, rerr := bufio.NewReader(c).ReadString('\n')
			c.Close()
			if rerr == nil {
				return strings.TrimSpace(line), nil
			}
			err = rerr
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("ssh %s: %w", addr, err)
		}
		time.Sleep(time.Second)
	}
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
