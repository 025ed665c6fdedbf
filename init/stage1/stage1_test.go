package stage1

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
	"golang.org/x/sys/unix"
)

func TestParseCmdline(t *testing.T) {
	got := ParseCmdline(`BOOT_IMAGE=/k init=/nix/store/abc-sys/init  root=LABEL=frazil-root quiet opt="a b" frazil.shell root=UUID=x` + "\n")
	want := map[string]string{
		"BOOT_IMAGE": "/k", "init": "/nix/store/abc-sys/init", "root": "UUID=x",
		"quiet": "", "opt": "a b", "frazil.shell": "",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseCmdline = %v, want %v", got, want)
	}
}

func TestConfig(t *testing.T) {
	c, err := ParseConfig([]byte(`{"kernelVersion":"6.1.0-9-amd64","modules":["kernel/a.ko","kernel/b.ko"],"rootWaitSeconds":5}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.Root != "LABEL=frazil-root" || c.FSType != "ext4" || c.RootWaitSeconds != 5 || len(c.StoreMountOptions) != 3 {
		t.Errorf("defaults not kept: %+v", c)
	}
	c.ApplyCmdline(ParseCmdline("root=/dev/vda2 init=/nix/store/x/init frazil.debug rootwait=9 rootflags=ro,noatime"))
	if c.Root != "/dev/vda2" || c.Init != "/nix/store/x/init" || !c.Debug || c.EmergencyShell || c.RootWaitSeconds != 9 || c.RootOptions != "ro,noatime" {
		t.Errorf("after cmdline: %+v", c)
	}
	for _, bad := range []string{`{"modules":["/abs.ko"]}`, `{"modules":["../x.ko"]}`, `{"root":1}`, `nope`} {
		if _, err := ParseConfig([]byte(bad)); err == nil {
			t.Errorf("ParseConfig(%s) accepted", bad)
		}
	}
}

func TestMountOptions(t *testing.T) {
	for _, c := range []struct {
		opts  string
		flags uintptr
		data  string
	}{
		{"rw", 0, ""},
		{"ro,nodev,nosuid", unix.MS_RDONLY | unix.MS_NODEV | unix.MS_NOSUID, ""},
		{"noatime,errors=remount-ro,commit=5", unix.MS_NOATIME, "errors=remount-ro,commit=5"},
	} {
		f, d := MountOptions(strings.Split(c.opts, ","))
		if f != c.flags || d != c.data {
			t.Errorf("MountOptions(%s) = %#x %q, want %#x %q", c.opts, f, d, c.flags, c.data)
		}
	}
}

// TestSuperblockAgainstMke2fs reads the label and UUID of a filesystem
// made by mke2fs and compares them with what tune2fs reports.
func TestSuperblockAgainstMke2fs(t *testing.T) {
	mke2fs := testutil.RequireTool(t, "mke2fs", "apt-get install e2fsprogs")
	tune2fs := testutil.RequireTool(t, "tune2fs", "apt-get install e2fsprogs")
	img := filepath.Join(t.TempDir(), "fs.img")
	for _, fstype := range []string{"ext2", "ext4"} {
		out, err := exec.Command(mke2fs, "-q", "-F", "-t", fstype, "-L", "frazil-root", img, "4M").CombinedOutput()
		if err != nil {
			t.Fatalf("mke2fs: %v\n%s", err, out)
		}
		info, err := exec.Command(tune2fs, "-l", img).Output()
		if err != nil {
			t.Fatal(err)
		}
		var wantUUID string
		for _, line := range strings.Split(string(info), "\n") {
			if v, ok := strings.CutPrefix(line, "Filesystem UUID:"); ok {
				wantUUID = strings.TrimSpace(v)
			}
		}
		id, err := readFSID(img)
		if err != nil {
			t.Fatal(err)
		}
		if typ, err := DetectType(img); err != nil || typ != "ext4" {
			t.Errorf("%s: DetectType = %q, %v; want ext4", fstype, typ, err)
		}
		if id.Label != "frazil-root" || id.UUID != wantUUID {
			t.Errorf("%s: got %+v, want label frazil-root uuid %s", fstype, id, wantUUID)
		}
		for spec, want := range map[string]bool{
			"LABEL=frazil-root": true, "LABEL=other": false,
			"UUID=" + strings.ToUpper(wantUUID): true, "UUID=00000000-0000-0000-0000-000000000000": false, "/dev/x": false,
		} {
			if id.Matches(spec) != want {
				t.Errorf("%s: Matches(%s) = %v", fstype, spec, !want)
			}
		}
	}
}

func TestSuperblockRejects(t *testing.T) {
	if _, err := ParseExtSuperblock(make([]byte, superblockSize)); err != errNotExt {
		t.Errorf("zero block: %v", err)
	}
	if _, err := ParseExtSuperblock(make([]byte, 10)); err == nil {
		t.Errorf("short block accepted")
	}
}

func TestFindRootByPath(t *testing.T) {
	if _, err := findOnce("/dev/null"); err != nil {
		t.Errorf("findOnce(/dev/null) = %v", err)
	}
	if _, err := findOnce("PARTUUID=1"); err == nil || !strings.Contains(err.Error(), "want LABEL=, UUID= or /dev/") {
		t.Errorf("findOnce(PARTUUID=1) = %v", err)
	}
	if _, err := FindRoot("LABEL=surely-not-present-here", 0, nil); err == nil || !strings.Contains(err.Error(), "not found after") {
		t.Errorf("FindRoot of a missing label = %v", err)
	}
}

func TestRescueCommands(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "hello"), []byte("hi there\n"), 0o644)
	var out bytes.Buffer
	rescue(strings.NewReader("help\nls "+dir+"\ncat "+dir+"/hello\nfrob\ncat\n"), &out, DefaultConfig())
	got := out.String()
	for _, want := range []string{"commands: ls", "hello\n", "hi there\n", "frob: unknown command (try help)", "cat: usage: cat FILE"} {
		if !strings.Contains(got, want) {
			t.Errorf("rescue output lacks %q:\n%s", want, got)
		}
	}
}

func FuzzParseExtSuperblock(f *testing.F) {
	sb := make([]byte, superblockSize)
	sb[offMagic], sb[offMagic+1] = 0x53, 0xEF
	copy(sb[offLabel:], "label")
	f.Add(sb)
	f.Fuzz(func(t *testing.T, b []byte) {
		id, err := ParseExtSuperblock(b)
		if err == nil && (len(id.Label) > 16 || len(id.UUID) != 36) {
			t.Fatalf("bad id %+v", id)
		}
	})
}

func FuzzParseCmdline(f *testing.F) {
	f.Add(`a=b "c d"=e f`)
	f.Fuzz(func(t *testing.T, s string) {
		for k := range ParseCmdline(s) {
			if strings.ContainsAny(k, " \t\n") && !strings.Contains(s, `"`) {
				t.Fatalf("key %q has a space", k)
			}
		}
	})
}

// TestFATBootSectorAgainstMkfs reads the label and volume ID of FAT16 and
// FAT32 filesystems made by mkfs.vfat (the ESP is found by its label).
func TestFATBootSectorAgainstMkfs(t *testing.T) {
	mkfs := testutil.RequireTool(t, "mkfs.vfat", "apt-get install dosfstools")
	img := filepath.Join(t.TempDir(), "fat.img")
	for _, tc := range []struct {
		name string
		args []string
		want FSID
	}{
		{"fat32", []string{"-F", "32", "-n", "FRAZIL-ESP", "-i", "1234ABCD"}, FSID{Type: "vfat", Label: "FRAZIL-ESP", UUID: "1234-ABCD"}},
		{"fat16", []string{"-F", "16", "-n", "BOOT", "-i", "00c0ffee"}, FSID{Type: "vfat", Label: "BOOT", UUID: "00C0-FFEE"}},
		{"no label", []string{"-F", "32", "-i", "0"}, FSID{Type: "vfat", Label: "", UUID: "0000-0000"}},
	} {
		os.Remove(img)
		args := append(append([]string{"-C"}, tc.args...), img, "36000")
		if out, err := exec.Command(mkfs, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s: mkfs.vfat: %v\n%s", tc.name, err, out)
		}
		got, err := readFSID(img)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
		if tc.want.Label != "" && !got.Matches("LABEL="+tc.want.Label) {
			t.Errorf("%s: LABEL=%s does not match", tc.name, tc.want.Label)
		}
		if !got.Matches("UUID=" + strings.ToLower(tc.want.UUID)) {
			t.Errorf("%s: UUID=%s does not match", tc.name, tc.want.UUID)
		}
	}
}

func TestFATBootSectorRejects(t *testing.T) {
	valid := make([]byte, fatBootSize)
	valid[510], valid[511] = 0x55, 0xAA
	valid[fatOffSectorSize+1] = 2 // 512
	valid[fatOffEBR32+fatEBRSignature] = 0x29
	if _, err := ParseFATBootSector(valid); err != nil {
		t.Fatalf("minimal FAT32 boot sector rejected: %v", err)
	}
	for name, mutate := range map[string]func([]byte){
		"no boot signature":    func(b []byte) { b[511] = 0 },
		"bad sector size":      func(b []byte) { b[fatOffSectorSize+1] = 3 },
		"no extended boot rec": func(b []byte) { b[fatOffEBR32+fatEBRSignature] = 0x28 },
	} {
		b := bytes.Clone(valid)
		mutate(b)
		if _, err := ParseFATBootSector(b); err != errNotFAT {
			t.Errorf("%s: err = %v, want errNotFAT", name, err)
		}
	}
	if _, err := ParseFATBootSector(valid[:100]); err == nil {
		t.Errorf("short sector accepted")
	}
}

func FuzzParseFATBootSector(f *testing.F) {
	b := make([]byte, fatBootSize)
	b[510], b[511] = 0x55, 0xAA
	b[fatOffSectorSize+1] = 2
	b[fatOffEBR32+fatEBRSignature] = 0x29
	copy(b[fatOffEBR32+fatEBRLabel:], "FRAZIL-ESP ")
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		id, err := ParseFATBootSector(b)
		if err == nil && (len(id.Label) > 11 || len(id.UUID) != 9) {
			t.Fatalf("bad id %+v", id)
		}
	})
}
