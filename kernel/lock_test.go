package kernel

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
)

// TestMain runs the test binary as a lock-writing child when
// LOCK_CHILD_PATH is set: it writes the "new" lock there.
func TestMain(m *testing.M) {
	if p := os.Getenv("LOCK_CHILD_PATH"); p != "" {
		if err := newLock().Write(p); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func oldLock() *Lock {
	return &Lock{Kernels: []LockEntry{{Arch: "amd64", Package: "linux-image-1-amd64", Version: "1"}}}
}

func newLock() *Lock {
	return &Lock{Kernels: []LockEntry{
		{Arch: "i386", Package: "linux-image-2-686", Version: "2"},
		{Arch: "amd64", Package: "linux-image-2-amd64", Version: "2", DebSHA256: strings.Repeat("ab", 32)},
	}}
}

func TestLockRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "kernels.lock.json")
	if err := newLock().Write(p); err != nil {
		t.Fatal(err)
	}
	got, err := ReadLock(p)
	if err != nil {
		t.Fatal(err)
	}
	want := newLock()
	want.Kernels[0], want.Kernels[1] = want.Kernels[1], want.Kernels[0] // sorted by arch
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %+v, want %+v", got, want)
	}
	if e, err := got.Entry("i386"); err != nil || e.Version != "2" {
		t.Errorf("Entry(i386) = %+v, %v", e, err)
	}
	if _, err := got.Entry("arm64"); err == nil || !strings.Contains(err.Error(), "no kernel for arm64") {
		t.Errorf("Entry(arm64) = %v", err)
	}
}

// TestLockWriteCrash kills a child writing the lock at each fault point:
// the lock must then be the old one or the new one, whole, and the next
// write must succeed and clean up.
func TestLockWriteCrash(t *testing.T) {
	for point, want := range map[string]string{"kernel.write.synced": "1", "kernel.write.renamed": "2"} {
		dir := t.TempDir()
		p := filepath.Join(dir, "kernels.lock.json")
		if err := oldLock().Write(p); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "LOCK_CHILD_PATH="+p, "FRAZIL_FAULTPOINT="+point)
		err := cmd.Run()
		ee, ok := err.(*exec.ExitError)
		if !ok || !ee.Sys().(syscall.WaitStatus).Signaled() {
			t.Fatalf("%s: child was not killed: %v", point, err)
		}
		got, err := ReadLock(p)
		if err != nil {
			t.Fatalf("%s: lock unreadable after the crash: %v", point, err)
		}
		if v := got.Kernels[0].Version; v != want {
			t.Errorf("%s: lock has version %s, want %s", point, v, want)
		}
		if err := newLock().Write(p); err != nil {
			t.Fatal(err)
		}
		if left, _ := filepath.Glob(filepath.Join(dir, ".tmp-*")); len(left) != 0 {
			t.Errorf("%s: temp files left: %q", point, left)
		}
	}
}

func TestParseFilename(t *testing.T) {
	tests := []struct {
		name, out, want string
		wantErr         bool
	}{
		{"one record", "Package: linux-image-6.1.0-50-arm64\nVersion: 6.1.176-1\nFilename: pool/main/l/linux-signed-arm64/linux-image-6.1.0-50-arm64_6.1.176-1_arm64.deb\nSize: 1\n",
			"pool/main/l/linux-signed-arm64/linux-image-6.1.0-50-arm64_6.1.176-1_arm64.deb", false},
		{"first of two", "Filename: pool/updates/main/a.deb\n\nFilename: pool/main/a.deb\n", "pool/updates/main/a.deb", false},
		{"no field", "Package: x\nVersion: 1\n", "", true},
		{"not a deb", "Filename: pool/main/x.udeb\n", "", true},
	}
	for _, tt := range tests {
		got, err := parseFilename("x", []byte(tt.out))
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("%s: parseFilename = %q, %v; want %q (error %v)", tt.name, got, err, tt.want, tt.wantErr)
		}
	}
}
