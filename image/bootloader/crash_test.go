package bootloader

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/frazil/frazil/generations"
)

// TestMain doubles as the child of TestUpdateCrashSafety: with
// $FRAZIL_TEST_ESP set it runs one Update and exits.
func TestMain(m *testing.M) {
	if esp := os.Getenv("FRAZIL_TEST_ESP"); esp != "" {
		root := os.Getenv("FRAZIL_TEST_ROOT")
		p, _ := generations.Open(filepath.Join(root, "profiles/system"), root)
		bl, _ := New(X86_64, UEFI)
		if _, err := Update(DirESP(esp), bl, p, MenuOptions{Timeout: 1, Limit: 10}); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var menuFiles = regexp.MustCompile(`(?m)^  (?:linux|initrd) '([^']+)'`)

// checkMenu fails unless grub.cfg is complete and every file it names exists.
func checkMenu(t *testing.T, esp string) string {
	t.Helper()
	cfg, err := os.ReadFile(filepath.Join(esp, "grub/grub.cfg"))
	if err != nil {
		t.Fatalf("no menu: %v", err)
	}
	if !strings.HasSuffix(string(cfg), "}\n") {
		t.Errorf("menu is truncated:\n%s", cfg)
	}
	for _, m := range menuFiles.FindAllStringSubmatch(string(cfg), -1) {
		if _, err := os.Stat(filepath.Join(esp, m[1])); err != nil {
			t.Errorf("menu names %s, which is missing: %v", m[1], err)
		}
	}
	return string(cfg)
}

func TestUpdateCrashSafety(t *testing.T) {
	points := []string{"bootloader.esp.tmp-written:1", "bootloader.esp.tmp-written:2", "bootloader.files.copied",
		"bootloader.esp.tmp-written:3", "bootloader.menu.written", "bootloader.esp.tmp-written:4"}
	for _, fp := range points {
		t.Run(fp, func(t *testing.T) {
			root, esp := t.TempDir(), t.TempDir()
			p, _ := generations.Open(filepath.Join(root, "profiles/system"), root)
			bl, _ := New(X86_64, UEFI)
			makeGen(t, p, root, "/nix/store/aaa-sys-1", "kkk-linux-1")
			if _, err := Update(DirESP(esp), bl, p, MenuOptions{Timeout: 1, Limit: 10}); err != nil {
				t.Fatal(err)
			}
			makeGen(t, p, root, "/nix/store/bbb-sys-2", "lll-linux-2")
			cmd := exec.Command(os.Args[0])
			cmd.Env = append(os.Environ(), "FRAZIL_TEST_ESP="+esp, "FRAZIL_TEST_ROOT="+root, "FRAZIL_FAULTPOINT="+fp)
			out, err := cmd.CombinedOutput()
			ee, ok := err.(*exec.ExitError)
			if !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
				t.Fatalf("child was not killed at %s: %v\n%s", fp, err, out)
			}
			checkMenu(t, esp)
			// the next update completes the job
			if _, err := Update(DirESP(esp), bl, p, MenuOptions{Timeout: 1, Limit: 10}); err != nil {
				t.Fatal(err)
			}
			if cfg := checkMenu(t, esp); !strings.Contains(cfg, "bbb-sys-2") {
				t.Errorf("menu after recovery lacks generation 2:\n%s", cfg)
			}
			names, _ := DirESP(esp).List(KernelDir)
			grub, _ := DirESP(esp).List("/grub")
			for _, n := range append(names, grub...) {
				if strings.Contains(n, ".tmp") {
					t.Errorf("temporary file %s left on the ESP after recovery", n)
				}
			}
		})
	}
}
