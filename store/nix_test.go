package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/store/internal/testtree"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// Differential tests against Nix 2.8 with a chroot store: the same inputs
// give the same store paths, NAR hashes and sizes, and contents.

func nixCmd(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(args[0], args[1:]...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return strings.TrimSpace(string(out))
}

// nixPathInfo returns narHash (SRI) and narSize from nix path-info --json.
func nixPathInfo(t *testing.T, nixStore, p string) (string, uint64) {
	t.Helper()
	out := nixCmd(t, "nix", "--extra-experimental-features", "nix-command", "--store", nixStore, "path-info", "--json", p)
	var infos []struct {
		NarHash string `json:"narHash"`
		NarSize uint64 `json:"narSize"`
	}
	if err := json.Unmarshal([]byte(out), &infos); err != nil || len(infos) != 1 {
		t.Fatalf("nix path-info --json %s: %v in %q", p, err, out)
	}
	return infos[0].NarHash, infos[0].NarSize
}

func TestAddMatchesNix(t *testing.T) {
	testutil.RequireTool(t, "nix-store", "make setup")
	testutil.RequireTool(t, "nix", "make setup")
	s := openStore(t)
	nixStore := filepath.Join(t.TempDir(), "nix")
	src := t.TempDir()
	var trees []string
	for seed := uint64(1); seed <= 4; seed++ {
		d := filepath.Join(src, fmt.Sprint("tree", seed))
		must(t, testtree.Generate(d, testtree.Options{Seed: seed, Entries: 30 * int(seed), Large: seed == 2}))
		trees = append(trees, d)
	}
	for _, d := range trees {
		info, err := s.AddTree(d, filepath.Base(d), storepath.Recursive, nil)
		must(t, err)
		want := nixCmd(t, "nix-store", "--store", nixStore, "--add", d)
		if string(info.Path) != want {
			t.Errorf("%s: AddTree = %s, nix-store --add = %s", d, info.Path, want)
			continue
		}
		hash, size := nixPathInfo(t, nixStore, want)
		if info.NarHash.SRI() != hash || info.NarSize != size {
			t.Errorf("%s: narHash %s size %d, nix says %s %d", d, info.NarHash.SRI(), info.NarSize, hash, size)
		}
		ours, theirs := narOf(t, s.RealPath(info.Path)), narOf(t, filepath.Join(nixStore, want))
		if !bytes.Equal(ours, theirs) {
			t.Errorf("%s: store contents differ from Nix's", info.Path)
		}
	}
}

func TestAddFixedMatchesNix(t *testing.T) {
	testutil.RequireTool(t, "nix-store", "make setup")
	s := openStore(t)
	nixStore := filepath.Join(t.TempDir(), "nix")
	src := t.TempDir()
	plain := filepath.Join(src, "plain.txt")
	must(t, os.WriteFile(plain, []byte("some contents\n"), 0o644))
	exe := filepath.Join(src, "run.sh")
	must(t, os.WriteFile(exe, []byte("#!/bin/sh\necho hi\n"), 0o755))
	empty := filepath.Join(src, "empty")
	must(t, os.WriteFile(empty, nil, 0o644))
	tree := filepath.Join(src, "tree")
	must(t, testtree.Generate(tree, testtree.Options{Seed: 9, Entries: 25}))
	tests := []struct {
		path      string
		algo      string
		recursive bool
	}{
		{plain, "sha256", false}, {exe, "sha256", false}, {empty, "sha256", false},
		{plain, "sha1", false}, {plain, "md5", false}, {plain, "sha512", false},
		{exe, "sha256", true}, {tree, "sha256", true}, {tree, "sha1", true},
	}
	for _, tt := range tests {
		algo, err := nixhash.ParseAlgo(tt.algo)
		must(t, err)
		m, args := storepath.Flat, []string{"nix-store", "--store", nixStore, "--add-fixed"}
		if tt.recursive {
			m, args = storepath.Recursive, append(args, "--recursive")
		}
		info, err := s.AddFixed(tt.path, filepath.Base(tt.path), m, algo)
		must(t, err)
		want := nixCmd(t, append(args, tt.algo, tt.path)...)
		if string(info.Path) != want {
			t.Errorf("%s %s recursive=%v: got %s, nix-store gives %s", tt.path, tt.algo, tt.recursive, info.Path, want)
			continue
		}
		hash, size := nixPathInfo(t, nixStore, want)
		if info.NarHash.SRI() != hash || info.NarSize != size {
			t.Errorf("%s: narHash %s size %d, nix says %s %d", want, info.NarHash.SRI(), info.NarSize, hash, size)
		}
	}
}
