package pid1

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/frazil/frazil/init/activation"
	"github.com/frazil/frazil/init/control"
	"github.com/frazil/frazil/init/supervisor"
	"golang.org/x/sys/unix"
)

func TestFindToplevel(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "nix-store-like")
	os.MkdirAll(real, 0o755)
	os.Symlink(real, filepath.Join(dir, "current"))
	for _, c := range []struct {
		argv0   string
		cmdline map[string]string
		want    string
	}{
		{"/nix/store/abc-frazil-system-x/init", nil, "/nix/store/abc-frazil-system-x"},
		{"/nix/store/abc-frazil-system-x/init", map[string]string{"systemConfig": "/nix/store/def-y"}, "/nix/store/def-y"},
		{filepath.Join(dir, "current", "init"), nil, real},
	} {
		if got := findToplevel(c.argv0, c.cmdline); got != c.want {
			t.Errorf("findToplevel(%s, %v) = %s, want %s", c.argv0, c.cmdline, got, c.want)
		}
	}
}

func TestRequestPower(t *testing.T) {
	s := &system{power: make(chan string, 1)}
	if err := s.requestPower("explode"); err == nil || !strings.Contains(err.Error(), `unknown power action "explode"`) {
		t.Errorf("requestPower(explode) = %v", err)
	}
	if err := s.requestPower("poweroff"); err != nil {
		t.Fatal(err)
	}
	if err := s.requestPower("reboot"); err != nil { // a second request while one is pending is dropped
		t.Fatal(err)
	}
	if got := <-s.power; got != "poweroff" {
		t.Errorf("pending action %s", got)
	}
}

func TestBackendBeforeServices(t *testing.T) {
	b := backend{&system{}}
	if st := b.Status(); st != nil {
		t.Errorf("status before services = %v", st)
	}
	if err := b.StopService("web"); err == nil || !strings.Contains(err.Error(), "unknown service") {
		t.Errorf("StopService before services = %v", err)
	}
}

func TestRefusesUnlessPID1(t *testing.T) {
	if err := checkPID1(os.Getpid()); err == nil || !strings.Contains(err.Error(), "frazil-init is the kernel's init") {
		t.Errorf("checkPID1(%d) = %v", os.Getpid(), err)
	}
	if err := checkPID1(1); err != nil {
		t.Errorf("checkPID1(1) = %v", err)
	}
}

func TestReadSeed(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	os.WriteFile(good, make([]byte, seedSize), 0o600)
	if seed, err := readSeed(good); err != nil || len(seed) != seedSize {
		t.Errorf("readSeed(good) = %d bytes, %v", len(seed), err)
	}
	for name, f := range map[string]func(p string){
		"short":      func(p string) { os.WriteFile(p, make([]byte, 10), 0o600) },
		"world-read": func(p string) { os.WriteFile(p, make([]byte, seedSize), 0o644); os.Chmod(p, 0o644) },
		"directory":  func(p string) { os.Mkdir(p, 0o700) },
	} {
		p := filepath.Join(dir, name)
		f(p)
		if _, err := readSeed(p); err == nil || !strings.Contains(err.Error(), "not crediting it") {
			t.Errorf("readSeed(%s) = %v", name, err)
		}
	}
}

func TestMountOrder(t *testing.T) {
	fss := []activation.FileSystem{
		{MountPoint: "/boot/efi", Device: "LABEL=EFI"},
		{MountPoint: "/", Device: "LABEL=frazil-root"},
		{MountPoint: "/data", Device: "LABEL=data", Options: []string{"noauto"}},
		{MountPoint: "/boot", Device: "LABEL=boot"},
		{MountPoint: "/var/lib/x", Device: "/dev/vdb"},
		{MountPoint: "/srv", Device: "/dev/vdc"},
	}
	var got []string
	for _, fs := range mountOrder(fss) {
		got = append(got, fs.MountPoint)
	}
	if want := []string{"/boot", "/srv", "/boot/efi", "/var/lib/x"}; !reflect.DeepEqual(got, want) {
		t.Errorf("mount order %q, want %q", got, want)
	}
}

func TestMountOptions(t *testing.T) {
	for _, c := range []struct {
		opts  []string
		flags uintptr
		data  string
	}{
		{nil, 0, ""},
		{[]string{"umask=0077", "nofail", "x-systemd.automount", "noatime"}, unix.MS_NOATIME, "umask=0077"},
		{[]string{"ro", "noauto", "auto", "nodev", "fmask=0022"}, unix.MS_RDONLY | unix.MS_NODEV, "fmask=0022"},
	} {
		flags, data := mountOptions(c.opts)
		if flags != c.flags || data != c.data {
			t.Errorf("mountOptions(%q) = %#x %q, want %#x %q", c.opts, flags, data, c.flags, c.data)
		}
	}
}

func TestLoadGenerationRejects(t *testing.T) {
	dir := t.TempDir()
	for _, top := range []string{dir, "/nix/store", "/nix/store/abc-x/sub", "relative"} {
		if _, _, err := loadGeneration(top); !errors.Is(err, control.ErrBadToplevel) {
			t.Errorf("loadGeneration(%s) = %v, want ErrBadToplevel", top, err)
		}
	}
}

func TestDescribeChanges(t *testing.T) {
	for _, c := range []struct {
		ch   supervisor.Changes
		want string
	}{
		{supervisor.Changes{Unchanged: []string{"a"}}, "no service changed"},
		{supervisor.Changes{Started: []string{"d", "e"}, Stopped: []string{"c"}, Restarted: []string{"b"}}, "started d, e; restarted b; stopped c"},
	} {
		if got := describeChanges(c.ch); got != c.want {
			t.Errorf("describeChanges(%+v) = %q, want %q", c.ch, got, c.want)
		}
	}
}

func TestDeviceSpec(t *testing.T) {
	for in, want := range map[string]string{
		"/dev/disk/by-label/FRAZIL-ESP": "LABEL=FRAZIL-ESP",
		"/dev/disk/by-uuid/1234-ABCD":   "UUID=1234-ABCD",
		"/dev/vdb1":                     "/dev/vdb1",
		"LABEL=data":                    "LABEL=data",
	} {
		if got := deviceSpec(in); got != want {
			t.Errorf("deviceSpec(%s) = %s, want %s", in, got, want)
		}
	}
}
