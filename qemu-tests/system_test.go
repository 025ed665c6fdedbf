package qemutests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frazil/frazil/image"
	"github.com/frazil/frazil/internal/kerneltest"
	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/qemu-tests/testsystem"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// The scenarios share one store and one set of built programs: the store
// is $FRAZIL_TEST_STORE if set (kept between runs), else a temporary
// directory removed when the tests end.
var (
	sysOnce    sync.Once
	sysBuilder *testsystem.Builder
	sysErr     error
	sysCleanup []func()
)

func TestMain(m *testing.M) {
	code := m.Run()
	for i := len(sysCleanup) - 1; i >= 0; i-- {
		sysCleanup[i]()
	}
	os.Exit(code)
}

// systemBuilder returns the shared builder of test systems.
func systemBuilder(t *testing.T) *testsystem.Builder {
	t.Helper()
	testutil.RequireTool(t, "go", "install Go")
	testutil.RequireTool(t, "grub-mkimage", "make setup")
	tree := kerneltest.Tree(t, "amd64")
	sysOnce.Do(func() {
		dir := os.Getenv("FRAZIL_TEST_STORE")
		if dir == "" {
			if dir, sysErr = os.MkdirTemp("", "frazil-test-store-"); sysErr != nil {
				return
			}
			sysCleanup = append(sysCleanup, func() { os.RemoveAll(dir) })
		}
		s, err := store.Open(dir)
		if err != nil {
			sysErr = err
			return
		}
		repo, err := filepath.Abs("..")
		if err != nil {
			sysErr = err
			return
		}
		sysBuilder = &testsystem.Builder{Store: s, Repo: repo, Kernel: tree}
		if testing.Verbose() {
			sysBuilder.Logf = func(f string, a ...any) { fmt.Fprintf(os.Stderr, "testsystem: "+f+"\n", a...) }
		}
		sysCleanup = append(sysCleanup, func() { s.Close() }, func() { sysBuilder.Close() })
		_, sysErr = sysBuilder.Programs()
	})
	if sysErr != nil {
		t.Fatalf("test systems: %v", sysErr)
	}
	return sysBuilder
}

// frazilCLI runs the frazil binary the test systems carry, on the host,
// and returns its standard output.
func frazilCLI(t *testing.T, b *testsystem.Builder, args ...string) string {
	t.Helper()
	p, err := b.Programs()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(b.Store.RealPath(p.Frazil)+"/bin/frazil", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("frazil %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// sysImage is a disk image built from test generations.
type sysImage struct {
	path   string
	tops   []storepath.Path // generation 1 first
	layout image.Layout
	paths  []string // the store paths in the image
}

// buildSystemImage adds the generations to a host-side profile and builds
// an image of all of them with the frazil CLI (`frazil generations set`,
// `frazil image build --profile`).
func buildSystemImage(t *testing.T, b *testsystem.Builder, timeout int, gens ...testsystem.Generation) sysImage {
	t.Helper()
	dir := t.TempDir()
	root := b.Store.Root()
	profile := filepath.Join(dir, "profiles", "system")
	var img sysImage
	for _, g := range gens {
		top, err := b.Toplevel(g)
		if err != nil {
			t.Fatal(err)
		}
		frazilCLI(t, b, "generations", "set", "--store", root, "--profile", profile, string(top))
		img.tops = append(img.tops, top)
	}
	img.path = filepath.Join(dir, "disk.img")
	out := frazilCLI(t, b, "image", "build", "--store", root, "--profile", profile, "-o", img.path,
		"--json", "--free", "16M", "--timeout", fmt.Sprint(timeout))
	var res struct {
		Layout image.Layout `json:"layout"`
		Paths  []string     `json:"paths"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("frazil image build --json: %v\n%s", err, out)
	}
	img.layout, img.paths = res.Layout, res.Paths
	return img
}

// freePort returns a loopback TCP port nobody listens on.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// userNet are QEMU arguments for a virtio NIC on user networking that
// forwards 127.0.0.1:port on the host to the guest's port 80.
func userNet(port int) []string {
	return []string{"-netdev", fmt.Sprintf("user,id=n0,hostfwd=tcp:127.0.0.1:%d-:80", port),
		"-device", "virtio-net-pci,netdev=n0"}
}

// httpGet fetches url until it answers 200 or the timeout passes (the
// guest's network comes up in the background of boot).
func httpGet(url string, timeout time.Duration) (string, error) {
	c := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(timeout)
	for {
		resp, err := c.Get(url)
		if err == nil {
			body, rerr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if rerr == nil && resp.StatusCode == http.StatusOK {
				return string(body), nil
			}
			err = fmt.Errorf("status %s, body %q, %v", resp.Status, body, rerr)
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("GET %s: %w", url, err)
		}
		time.Sleep(time.Second)
	}
}

// partitionFile copies one partition of an image into a sparse file of
// its own, for fsck tools that take no offset.
func partitionFile(t *testing.T, img string, p image.Part) string {
	t.Helper()
	src, err := os.Open(img)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	out := filepath.Join(t.TempDir(), strings.ReplaceAll(p.Name, " ", "-")+".img")
	dst, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	buf := make([]byte, 1<<20)
	zero := make([]byte, len(buf))
	for off := int64(0); off < p.Size; off += int64(len(buf)) {
		n := min(int64(len(buf)), p.Size-off)
		if _, err := src.ReadAt(buf[:n], p.Offset+off); err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(buf[:n], zero[:n]) {
			continue
		}
		if _, err := dst.WriteAt(buf[:n], off); err != nil {
			t.Fatal(err)
		}
	}
	if err := dst.Truncate(p.Size); err != nil {
		t.Fatal(err)
	}
	return out
}

// phase logs how long one scenario of a longer test took.
type phase struct {
	t            *testing.T
	name         string
	start        time.Time
	failedBefore bool
}

func startPhase(t *testing.T, name string) *phase {
	t.Logf("scenario %q: starting", name)
	return &phase{t: t, name: name, start: time.Now(), failedBefore: t.Failed()}
}

func (p *phase) done() {
	status := "ok"
	switch {
	case p.t.Failed() && p.failedBefore:
		status = "done (the test had failed before it)"
	case p.t.Failed():
		status = "FAILED"
	}
	p.t.Logf("scenario %q: %s, wall time %.1fs", p.name, status, time.Since(p.start).Seconds())
}
