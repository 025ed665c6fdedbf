package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/u-root/u-root/pkg/cpio"

	"github.com/frazil/frazil/init/stage1"
)

// writeAttrs writes a structured-attributes file with attrs plus the
// output "out" and returns the file and the output path.
func writeAttrs(t *testing.T, attrs map[string]any) (string, string) {
	t.Helper()
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	attrs["outputs"] = map[string]string{"out": out}
	b, err := json.Marshal(attrs)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, ".attrs.json")
	if err := os.WriteFile(file, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return file, out
}

func TestEtcBuild(t *testing.T) {
	file, out := writeAttrs(t, map[string]any{"entries": []map[string]string{
		{"target": "hostname", "source": "/nix/store/h-hostname", "mode": "symlink"},
		{"target": "sudoers", "source": "/nix/store/s-sudoers", "mode": "0440", "user": "+0", "group": "+0"},
	}})
	if err := runEtc([]string{"build", "--attrs", file}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.Readlink(filepath.Join(out, "etc/hostname")); got != "/nix/store/h-hostname" {
		t.Errorf("etc/hostname -> %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "etc/sudoers.mode")); string(got) != "0440\n" {
		t.Errorf("etc/sudoers.mode = %q", got)
	}
	if err := runEtc([]string{"build", "--attrs", ""}); err == nil || !strings.Contains(err.Error(), "no structured attributes") {
		t.Errorf("without attributes: %v", err)
	}
	if err := runEtc([]string{"nonsense"}); !errors.Is(err, errUsage) {
		t.Errorf("bad subcommand: %v", err)
	}
}

func TestToplevelBuild(t *testing.T) {
	file, out := writeAttrs(t, map[string]any{
		"name": "frazil-system-x-1", "init": "/nix/store/i/bin/init", "kernel": "/nix/store/k/bzImage",
		"kernelModules": "/nix/store/k/lib/modules", "initrd": "/nix/store/r/initrd", "etc": "/nix/store/e/etc",
		"sw": "/nix/store/s", "kernelParams": []string{"console=ttyS0"}, "system": "x86_64-linux", "hostPlatform": "i686-linux", "label": "1",
		"services":   map[string]any{"services": []any{}},
		"activation": map[string]any{"hostName": "x"},
	})
	if err := runToplevel([]string{"build", "--attrs", file}); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(filepath.Join(out, "system")); string(got) != "i686-linux" {
		t.Errorf("system = %q", got)
	}
	if got, _ := os.Readlink(filepath.Join(out, "initrd")); got != "/nix/store/r/initrd" {
		t.Errorf("initrd -> %q", got)
	}
}

func TestInitrdBuild(t *testing.T) {
	mods := filepath.Join(t.TempDir(), "6.1.0-test")
	os.MkdirAll(filepath.Join(mods, "kernel/fs"), 0o755)
	os.WriteFile(filepath.Join(mods, "modules.dep"), []byte("kernel/fs/ext4.ko: kernel/fs/jbd2.ko\nkernel/fs/jbd2.ko:\n"), 0o644)
	os.WriteFile(filepath.Join(mods, "kernel/fs/ext4.ko"), []byte("ext4"), 0o644)
	os.WriteFile(filepath.Join(mods, "kernel/fs/jbd2.ko"), []byte("jbd2"), 0o644)
	bin := filepath.Join(t.TempDir(), "stage1")
	os.WriteFile(bin, []byte("stage 1"), 0o755)
	file, out := writeAttrs(t, map[string]any{"stage1": bin, "modulesDir": mods, "modules": []string{"ext4"},
		"compression": "gzip", "stage1Config": map[string]any{"root": "UUID=1234", "emergencyShell": true}})
	if err := runInitrd([]string{"build", "--attrs", file}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(out, "initrd"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(zr)
	recs, err := cpio.ReadAllRecords(cpio.Newc.Reader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	var cfg stage1.Config
	for _, r := range recs {
		if r.Name == "etc/frazil/stage1.json" {
			data, _ := io.ReadAll(io.NewSectionReader(r.ReaderAt, 0, int64(r.FileSize)))
			if cfg, err = stage1.ParseConfig(data); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := []string{"kernel/fs/jbd2.ko", "kernel/fs/ext4.ko"}
	if cfg.Root != "UUID=1234" || !cfg.EmergencyShell || cfg.FSType != "ext4" || cfg.RootWaitSeconds != 20 ||
		strings.Join(cfg.Modules, " ") != strings.Join(want, " ") || cfg.KernelVersion != "6.1.0-test" {
		t.Errorf("stage1.json = %+v; want root UUID=1234, the emergency shell, defaults otherwise, modules %v", cfg, want)
	}
}
