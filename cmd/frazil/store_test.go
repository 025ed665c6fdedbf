package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/frazil/frazil/store"
)

// runStoreCmd runs `frazil store ARGS` and returns stdout.
func runStoreCmd(t *testing.T, stdin []byte, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := storeMain(args, bytes.NewReader(stdin), &out, &errOut)
	if err != nil {
		t.Logf("frazil store %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String(), err
}

func sampleTree(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "src")
	if err := os.MkdirAll(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "a.txt"), []byte("hi\n"), 0o644)
	os.Symlink("a.txt", filepath.Join(dir, "link"))
	os.WriteFile(filepath.Join(dir, "sub/run"), []byte("#!/bin/sh\n"), 0o755)
	return dir
}

func TestStoreCLIRoundTrip(t *testing.T) {
	root := filepath.Join(t.TempDir(), "st")
	src := sampleTree(t)
	out, err := runStoreCmd(t, nil, "add", src, "--store", root) // flags after arguments
	if err != nil {
		t.Fatal(err)
	}
	const want = "/nix/store/lwd07hcw9gxgxzam8izccv6074zn98zb-src\n" // nix-store --add gives this
	if out != want {
		t.Fatalf("add printed %q, want %q", out, want)
	}
	p := strings.TrimSpace(out)
	js, err := runStoreCmd(t, nil, "path-info", "--store", root, "--json", "-r", p)
	if err != nil {
		t.Fatal(err)
	}
	var infos []store.PathInfoJSON
	if err := json.Unmarshal([]byte(js), &infos); err != nil || len(infos) != 1 {
		t.Fatalf("path-info --json = %q (%v)", js, err)
	}
	if infos[0].NarHash != "sha256-01zHOrKP7hhZnEVzb8ltWvLrkfqmIuh/O5Xv3MNvDaw=" || infos[0].NarSize != 880 {
		t.Errorf("path-info = %+v, want Nix's narHash and narSize 880", infos[0])
	}
	nar, err := runStoreCmd(t, nil, "dump", src)
	if err != nil || len(nar) != 880 {
		t.Fatalf("dump: %d bytes, %v; want 880", len(nar), err)
	}
	dst := filepath.Join(t.TempDir(), "restored")
	if _, err := runStoreCmd(t, []byte(nar), "restore", dst); err != nil {
		t.Fatal(err)
	}
	again, err := runStoreCmd(t, nil, "dump", dst)
	if err != nil || again != nar {
		t.Errorf("restored tree dumps differently (%v)", err)
	}
	if _, err := runStoreCmd(t, []byte(nar[:100]), "restore", filepath.Join(t.TempDir(), "bad")); err == nil {
		t.Error("restore of a truncated NAR succeeded")
	}
}

func TestStoreCLIQueryGCVerify(t *testing.T) {
	root := filepath.Join(t.TempDir(), "st")
	src := sampleTree(t)
	file := filepath.Join(src, "a.txt")
	flat, err := runStoreCmd(t, nil, "add-fixed", "--store", root, "sha256", file)
	if err != nil {
		t.Fatal(err)
	}
	if want := "/nix/store/2xxxz2ypgc55pdkhpa29dkrssf2nb23k-a.txt\n"; flat != want { // nix-store --add-fixed sha256
		t.Errorf("add-fixed printed %q, want %q", flat, want)
	}
	req, err := runStoreCmd(t, nil, "query", "--store", root, "--requisites", strings.TrimSpace(flat))
	if err != nil || req != flat {
		t.Errorf("query --requisites = %q, %v; want %q", req, err, flat)
	}
	if _, err := runStoreCmd(t, nil, "query", "--store", root, strings.TrimSpace(flat)); !errors.Is(err, errUsage) {
		t.Errorf("query without a mode: %v, want a usage error", err)
	}
	if _, err := runStoreCmd(t, nil, "verify", "--store", root, "--check-contents"); err != nil {
		t.Errorf("verify of a good store: %v", err)
	}
	dead, err := runStoreCmd(t, nil, "gc", "--store", root, "--print-dead")
	if err != nil || dead != flat {
		t.Errorf("gc --print-dead = %q, %v; want %q", dead, err, flat)
	}
	if _, err := runStoreCmd(t, nil, "gc", "--store", root); err != nil {
		t.Fatal(err)
	}
	if out, _ := runStoreCmd(t, nil, "gc", "--store", root, "--print-dead"); out != "" {
		t.Errorf("after gc, dead paths remain: %q", out)
	}
	// A corrupt path makes verify exit 1.
	p, _ := runStoreCmd(t, nil, "add", "--store", root, src)
	f := filepath.Join(root, strings.TrimSpace(p), "a.txt")
	os.Chmod(f, 0o644)
	os.WriteFile(f, []byte("changed"), 0o644)
	out, err := runStoreCmd(t, nil, "verify", "--store", root, "--check-contents")
	var code exitError
	if !errors.As(err, &code) || code != 1 || !strings.Contains(out, "contents changed") {
		t.Errorf("verify of a corrupt store: %q, %v; want exit 1 and a report", out, err)
	}
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		args []string
		pos  []string
		json bool
	}{
		{[]string{"a", "--json", "b"}, []string{"a", "b"}, true},
		{[]string{"--json", "a"}, []string{"a"}, true},
		{[]string{"a", "--", "--json"}, []string{"a", "--json"}, false},
	}
	for _, tt := range tests {
		fs, _ := storeFlags(&storeIO{errw: &bytes.Buffer{}}, "path-info")
		j := fs.Bool("json", false, "")
		pos, err := parseArgs(fs, tt.args)
		if err != nil || !reflect.DeepEqual(pos, tt.pos) || *j != tt.json {
			t.Errorf("parseArgs(%q) = %q json=%v %v; want %q json=%v", tt.args, pos, *j, err, tt.pos, tt.json)
		}
	}
}

func TestStoreCopyIsASubcommand(t *testing.T) {
	var out, errOut bytes.Buffer
	err := storeMain([]string{"copy", "--from", "file:///nonexistent"}, nil, &out, &errOut)
	if !errors.Is(err, errUsage) {
		t.Fatalf("store copy without paths: err = %v, want usage error", err)
	}
	if !strings.Contains(errOut.String(), "frazil store copy") {
		t.Errorf("store copy usage = %q, want it to name the command", errOut.String())
	}
}
