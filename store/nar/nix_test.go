package nar

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/store/internal/testtree"
)

// Differential tests against Nix 2.8: the NAR of a tree is byte-identical to
// `nix-store --dump`, and each side restores the other's NAR to the same tree.

func nixTrees(t *testing.T) []string {
	t.Helper()
	base := t.TempDir()
	var dirs []string
	for seed := uint64(1); seed <= 6; seed++ {
		d := filepath.Join(base, fmt.Sprint(seed))
		o := testtree.Options{Seed: seed, Entries: 40 * int(seed), Large: seed == 3}
		if err := testtree.Generate(d, o); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
	}
	writeTree(t, filepath.Join(base, "vector"), vectorFS)
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, []byte("just a file"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(base, "link")
	if err := os.Symlink("target", link); err != nil {
		t.Fatal(err)
	}
	return append(dirs, filepath.Join(base, "vector"), file, link)
}

func nixDump(t *testing.T, p string) []byte {
	t.Helper()
	out, err := exec.Command("nix-store", "--dump", p).Output()
	if err != nil {
		t.Fatalf("nix-store --dump %s: %v", p, err)
	}
	return out
}

func TestDumpMatchesNix(t *testing.T) {
	testutil.RequireTool(t, "nix-store", "make setup")
	for _, p := range nixTrees(t) {
		var ours bytes.Buffer
		if err := DumpPath(&ours, p); err != nil {
			t.Fatal(err)
		}
		if theirs := nixDump(t, p); !bytes.Equal(ours.Bytes(), theirs) {
			t.Errorf("%s: our NAR (%d bytes) differs from nix-store --dump (%d bytes)", p, ours.Len(), len(theirs))
		}
	}
}

func TestRestoreMatchesNix(t *testing.T) {
	testutil.RequireTool(t, "nix-store", "make setup")
	out := t.TempDir()
	for i, p := range nixTrees(t) {
		nar := nixDump(t, p)
		var ourNAR bytes.Buffer
		if err := DumpPath(&ourNAR, p); err != nil {
			t.Fatal(err)
		}
		ours := filepath.Join(out, fmt.Sprint(i, "-ours"))
		if err := Restore(ours, bytes.NewReader(nar)); err != nil {
			t.Fatalf("Restore of Nix's NAR of %s: %v", p, err)
		}
		theirs := filepath.Join(out, fmt.Sprint(i, "-nix"))
		cmd := exec.Command("nix-store", "--restore", theirs)
		cmd.Stdin = &ourNAR
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("nix-store --restore: %v\n%s", err, b)
		}
		// Nix restored our NAR and we restored Nix's; both trees must dump
		// (by Nix) to the original NAR.
		for _, d := range []string{ours, theirs} {
			if got := nixDump(t, d); !bytes.Equal(got, nar) {
				t.Errorf("%s: restored tree dumps to a different NAR", d)
			}
		}
	}
}
