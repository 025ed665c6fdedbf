package initrd

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/frazil/frazil/init/stage1"
	"github.com/frazil/frazil/internal/testutil"
	"github.com/klauspost/compress/zstd"
	"github.com/u-root/u-root/pkg/cpio"
)

// fakeModules makes a module directory: ext4 needs jbd2 and crc16 and
// soft-depends on crypto-crc32c, an alias of crc32c_generic.
func fakeModules(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "6.1.0-test")
	files := map[string]string{
		"modules.dep": "kernel/fs/ext4/ext4.ko: kernel/fs/jbd2/jbd2.ko kernel/lib/crc16.ko\n" +
			"kernel/fs/jbd2/jbd2.ko:\nkernel/lib/crc16.ko:\nkernel/crypto/crc32c_generic.ko:\nkernel/drivers/unused.ko:\n",
		"modules.alias":                   "alias crypto-crc32c crc32c_generic\nalias fs-ext4 ext4\n",
		"modules.softdep":                 "softdep ext4 pre: crypto-crc32c\n",
		"kernel/fs/ext4/ext4.ko":          "ext4 module",
		"kernel/fs/jbd2/jbd2.ko":          "jbd2 module",
		"kernel/lib/crc16.ko":             "crc16",
		"kernel/crypto/crc32c_generic.ko": "crc32c",
		"kernel/drivers/unused.ko":        "unused",
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func testOptions(t *testing.T, compression string) Options {
	stage1Bin := filepath.Join(t.TempDir(), "stage1")
	os.WriteFile(stage1Bin, []byte("\x7fELF fake stage 1"), 0o755)
	return Options{Stage1: stage1Bin, ModulesDir: fakeModules(t), Modules: []string{"fs-ext4"}, Config: stage1.DefaultConfig(), Compression: compression}
}

func build(t *testing.T, opts Options) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Build(&b, opts); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readArchive(t *testing.T, data []byte) map[string]cpio.Record {
	t.Helper()
	recs, err := cpio.ReadAllRecords(cpio.Newc.Reader(bytes.NewReader(data)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]cpio.Record{}
	var names []string
	for _, r := range recs {
		out[r.Name] = r
		names = append(names, r.Name)
	}
	if !slices.IsSorted(names) {
		t.Errorf("entries not sorted: %q", names)
	}
	return out
}

func content(t *testing.T, r cpio.Record) string {
	data, err := io.ReadAll(io.NewSectionReader(r.ReaderAt, 0, int64(r.FileSize)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestContents(t *testing.T) {
	recs := readArchive(t, build(t, testOptions(t, None)))
	var names []string
	for n := range recs {
		names = append(names, n)
	}
	slices.Sort(names)
	want := []string{"dev", "dev/console", "etc", "etc/frazil", "etc/frazil/stage1.json", "init", "lib", "lib/modules",
		"lib/modules/6.1.0-test", "lib/modules/6.1.0-test/kernel", "lib/modules/6.1.0-test/kernel/crypto",
		"lib/modules/6.1.0-test/kernel/crypto/crc32c_generic.ko", "lib/modules/6.1.0-test/kernel/fs",
		"lib/modules/6.1.0-test/kernel/fs/ext4", "lib/modules/6.1.0-test/kernel/fs/ext4/ext4.ko",
		"lib/modules/6.1.0-test/kernel/fs/jbd2", "lib/modules/6.1.0-test/kernel/fs/jbd2/jbd2.ko",
		"lib/modules/6.1.0-test/kernel/lib", "lib/modules/6.1.0-test/kernel/lib/crc16.ko",
		"lib/modules/6.1.0-test/modules.dep", "mnt-root", "proc", "run", "sys"}
	if !slices.Equal(names, want) {
		t.Errorf("entries:\n%q\nwant\n%q", names, want)
	}
	var cfg stage1.Config
	if err := json.Unmarshal([]byte(content(t, recs["etc/frazil/stage1.json"])), &cfg); err != nil {
		t.Fatal(err)
	}
	wantOrder := []string{"kernel/crypto/crc32c_generic.ko", "kernel/lib/crc16.ko", "kernel/fs/jbd2/jbd2.ko", "kernel/fs/ext4/ext4.ko"}
	if cfg.KernelVersion != "6.1.0-test" || !slices.Equal(cfg.Modules, wantOrder) || cfg.Root != "LABEL=frazil-root" {
		t.Errorf("stage1.json = %+v, want modules %q", cfg, wantOrder)
	}
	if got := content(t, recs["init"]); got != "\x7fELF fake stage 1" || recs["init"].Mode&0o777 != 0o755 {
		t.Errorf("init = %q mode %o", got, recs["init"].Mode)
	}
	if c := recs["dev/console"]; c.Mode&cpio.S_IFMT != cpio.S_IFCHR || c.Rmajor != 5 || c.Rminor != 1 {
		t.Errorf("dev/console = %v", c.Info)
	}
	for n, r := range recs {
		if r.MTime != 0 || r.UID != 0 || r.GID != 0 {
			t.Errorf("%s: mtime %d uid %d gid %d", n, r.MTime, r.UID, r.GID)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, c := range []string{Gzip, Zstd, None} {
		opts := testOptions(t, c)
		a, b := build(t, opts), build(t, opts)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two builds differ", c)
		}
	}
}

func TestCompressionRoundTrip(t *testing.T) {
	plain := build(t, testOptions(t, None))
	gz, err := gzip.NewReader(bytes.NewReader(build(t, testOptions(t, Gzip))))
	if err != nil {
		t.Fatal(err)
	}
	fromGzip, _ := io.ReadAll(gz)
	zr, _ := zstd.NewReader(bytes.NewReader(build(t, testOptions(t, Zstd))))
	fromZstd, _ := io.ReadAll(zr)
	if !bytes.Equal(fromGzip, plain) || !bytes.Equal(fromZstd, plain) {
		t.Errorf("decompressed archives differ from the plain one")
	}
	if err := Build(io.Discard, testOptions(t, "lz4")); err == nil || !strings.Contains(err.Error(), `unknown compression "lz4"`) {
		t.Errorf("lz4: %v", err)
	}
}

// TestCpioToolReads checks the archive with GNU cpio.
func TestCpioToolReads(t *testing.T) {
	tool := testutil.RequireTool(t, "cpio", "apt-get install cpio")
	cmd := exec.Command(tool, "-t", "--quiet")
	cmd.Stdin = bytes.NewReader(build(t, testOptions(t, None)))
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), "lib/modules/6.1.0-test/kernel/fs/ext4/ext4.ko\n") || !strings.HasPrefix(string(out), "dev\n") {
		t.Errorf("cpio -t:\n%s", out)
	}
}

// TestMain runs the test binary as a BuildFile child when
// INITRD_CHILD_OUT is set (options from INITRD_CHILD_STAGE1/_MODULES).
func TestMain(m *testing.M) {
	if out := os.Getenv("INITRD_CHILD_OUT"); out != "" {
		opts := Options{Stage1: os.Getenv("INITRD_CHILD_STAGE1"), ModulesDir: os.Getenv("INITRD_CHILD_MODULES"), Modules: []string{"fs-ext4"}, Config: stage1.DefaultConfig()}
		if err := BuildFile(out, opts); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestBuildFileCrash kills a child in BuildFile at each fault point: the
// output is then absent or the complete archive.
func TestBuildFileCrash(t *testing.T) {
	opts := testOptions(t, Gzip)
	want := build(t, opts)
	for point, exists := range map[string]bool{"initrd.synced": false, "initrd.renamed": true} {
		out := filepath.Join(t.TempDir(), "initrd")
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "INITRD_CHILD_OUT="+out, "INITRD_CHILD_STAGE1="+opts.Stage1,
			"INITRD_CHILD_MODULES="+opts.ModulesDir, "FRAZIL_FAULTPOINT="+point)
		if err := cmd.Run(); err == nil {
			t.Fatalf("%s: child not killed", point)
		}
		got, err := os.ReadFile(out)
		switch {
		case !exists && !os.IsNotExist(err):
			t.Errorf("%s: output exists (%v)", point, err)
		case exists && !bytes.Equal(got, want):
			t.Errorf("%s: output is not the complete archive (%d of %d bytes, %v)", point, len(got), len(want), err)
		}
	}
}

func TestMissingModule(t *testing.T) {
	opts := testOptions(t, None)
	opts.Modules = []string{"virtio_blk"}
	if err := Build(io.Discard, opts); err == nil || !strings.Contains(err.Error(), `module "virtio_blk"`) {
		t.Errorf("Build = %v", err)
	}
}
