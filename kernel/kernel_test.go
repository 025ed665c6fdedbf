package kernel_test

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/frazil/frazil/internal/kerneltest"
	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/kernel"
	"github.com/frazil/frazil/kernel/kmod"
	"github.com/frazil/frazil/store"
)

// arArchive builds an ar archive by hand: odd sizes exercise the padding.
func arArchive(members map[string]string, order []string) []byte {
	var b bytes.Buffer
	b.WriteString("!<arch>\n")
	for _, name := range order {
		data := members[name]
		hdr := []byte(strings.Repeat(" ", 60))
		copy(hdr[0:], name+"/")
		copy(hdr[16:], "0")
		copy(hdr[40:], "100644")
		copy(hdr[48:], strconv.Itoa(len(data)))
		copy(hdr[58:], "`\n")
		b.Write(hdr)
		b.WriteString(data)
		if len(data)%2 == 1 {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

func TestArReader(t *testing.T) {
	members := map[string]string{"debian-binary": "2.0\n", "odd": "abc", "empty": ""}
	order := []string{"debian-binary", "odd", "empty"}
	ar, err := kernel.NewArReader(bytes.NewReader(arArchive(members, order)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		m, err := ar.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(ar.Open(m))
		if string(data) != members[m.Name] {
			t.Errorf("member %s = %q, want %q", m.Name, data, members[m.Name])
		}
		got = append(got, m.Name)
	}
	if !slices.Equal(got, order) {
		t.Errorf("members %q, want %q", got, order)
	}
	if _, err := kernel.NewArReader(strings.NewReader("not an archive")); err == nil {
		t.Error("accepted a non-archive")
	}
}

// TestArReaderAgainstAr reads an archive made by binutils' ar.
func TestArReaderAgainstAr(t *testing.T) {
	arTool := testutil.RequireTool(t, "ar", "apt-get install binutils")
	dir := t.TempDir()
	for name, data := range map[string]string{"a.txt": "hello", "b.bin": "xyz\x00\x01"} {
		os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644)
	}
	cmd := exec.Command(arTool, "rc", "x.a", "a.txt", "b.bin")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ar: %v\n%s", err, out)
	}
	f, _ := os.Open(filepath.Join(dir, "x.a"))
	defer f.Close()
	ar, err := kernel.NewArReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		m, err := ar.Next()
		if err != nil {
			break
		}
		data, _ := io.ReadAll(ar.Open(m))
		got = append(got, m.Name+"="+string(data))
	}
	if want := []string{"a.txt=hello", "b.bin=xyz\x00\x01"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func FuzzArReader(f *testing.F) {
	f.Add(arArchive(map[string]string{"x": "abc"}, []string{"x"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		ar, err := kernel.NewArReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		for range 100 {
			m, err := ar.Next()
			if err != nil {
				return
			}
			n, _ := io.Copy(io.Discard, ar.Open(m))
			if n > m.Size {
				t.Fatalf("read %d bytes of a %d-byte member", n, m.Size)
			}
		}
	})
}

// TestNarHashAgainstNix compares the NAR hash with nix-hash's.
func TestNarHashAgainstNix(t *testing.T) {
	nixHash := testutil.RequireTool(t, "nix-hash", "apt-get install nix-bin")
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "sub/deeper"), 0o755)
	os.WriteFile(filepath.Join(dir, "sub/file"), []byte("1234567"), 0o644)
	os.WriteFile(filepath.Join(dir, "exe"), []byte("#!/bin/sh\n"), 0o755)
	os.WriteFile(filepath.Join(dir, "empty"), nil, 0o644)
	os.Symlink("sub/file", filepath.Join(dir, "link"))
	got, err := kernel.NarHash(dir)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(nixHash, "--type", "sha256", "--base32", dir).Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "sha256:" + strings.TrimSpace(string(out)); got.String() != want {
		t.Errorf("NarHash = %s, nix-hash says %s", got, want)
	}
}

// TestImportedDebianKernel checks the tree imported from the locked .deb.
func TestImportedDebianKernel(t *testing.T) {
	tree := kerneltest.Tree(t, "amd64")
	version, err := os.ReadFile(filepath.Join(tree.Dir, "version"))
	if err != nil || strings.TrimSpace(string(version)) != tree.Version {
		t.Errorf("version file %q (%v), want %s", version, err, tree.Version)
	}
	if st, err := os.Stat(filepath.Join(tree.Dir, "bzImage")); err != nil || st.Size() < 1<<20 {
		t.Errorf("bzImage: %v", err)
	}
	mods, err := kmod.ReadModules(filepath.Join(tree.Dir, "lib/modules", tree.Version))
	if err != nil {
		t.Fatal(err)
	}
	order, err := mods.Closure([]string{"virtio_pci", "virtio-blk", "ext4"})
	if err != nil {
		t.Fatal(err)
	}
	pos := map[string]int{}
	for i, p := range order {
		pos[filepath.Base(p)] = i + 1
	}
	for _, c := range [][2]string{
		{"virtio_ring.ko", "virtio_pci.ko"}, {"virtio.ko", "virtio_blk.ko"},
		{"jbd2.ko", "ext4.ko"}, {"mbcache.ko", "ext4.ko"}, {"crc16.ko", "ext4.ko"},
		{"crc32c_generic.ko", "ext4.ko"}, // softdep pre: crypto-crc32c, an alias
	} {
		if pos[c[0]] == 0 || pos[c[1]] == 0 || pos[c[0]] > pos[c[1]] {
			t.Errorf("%s must load before %s; order %q", c[0], c[1], order)
		}
	}
	if len(pos) != len(order) {
		t.Errorf("duplicates in %q", order)
	}
	if _, err := mods.Closure([]string{"no_such_module"}); err == nil {
		t.Error("unknown module accepted")
	}
	for _, p := range order {
		data, err := os.ReadFile(filepath.Join(mods.Dir, p))
		if err != nil || !bytes.HasPrefix(data, []byte("\x7fELF")) {
			t.Errorf("%s is not a plain ELF module (%v)", p, err)
		}
	}
}

// TestAddToStore adds the imported kernel to a store and compares the path
// with the lock's and with what nix-store --add computes.
func TestAddToStore(t *testing.T) {
	tree := kerneltest.Tree(t, "amd64")
	s, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p, err := kernel.AddToStore(s, tree)
	if err != nil {
		t.Fatal(err)
	}
	lock, err := kernel.ReadLock(kerneltest.LockPath())
	if err != nil {
		t.Fatal(err)
	}
	e, _ := lock.Entry("amd64")
	if string(p) != e.StorePath {
		t.Errorf("store path %s, lock says %s", p, e.StorePath)
	}
	if _, err := os.Stat(filepath.Join(s.RealPath(p), "lib/modules", tree.Version, "modules.dep")); err != nil {
		t.Errorf("tree not in the store: %v", err)
	}
}
