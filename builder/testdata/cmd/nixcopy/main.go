// Command nixcopy copies the closure of store paths from a Nix store
// rooted at NIXROOT (nix-store --store NIXROOT) into the Frazil store at
// FRAZILROOT, for benchmarks and tests that build the same derivations
// with both:
//
//	nixcopy NIXROOT FRAZILROOT PATH…
//
// Text paths (.drv files, builtins.toFile) are added as text, everything
// else as NAR-hashed sources; each must come out at the same path.
package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: nixcopy NIXROOT FRAZILROOT PATH…")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3:]); err != nil {
		fmt.Fprintln(os.Stderr, "nixcopy:", err)
		os.Exit(1)
	}
}

func run(nixRoot, frazilRoot string, paths []string) error {
	s, err := store.Open(frazilRoot)
	if err != nil {
		return err
	}
	defer s.Close()
	closure, err := nixStore(nixRoot, append([]string{"-q", "-R"}, paths...)...)
	if err != nil {
		return err
	}
	for _, p := range closure {
		refs, err := nixStore(nixRoot, "-q", "--references", p)
		if err != nil {
			return err
		}
		if err := copyPath(s, nixRoot, storepath.Path(p), refs); err != nil {
			return err
		}
	}
	return nil
}

func nixStore(root string, args ...string) ([]string, error) {
	out, err := exec.Command("nix-store", append([]string{"--store", root}, args...)...).Output()
	if err != nil {
		return nil, fmt.Errorf("nix-store %v: %w", args, err)
	}
	return strings.Fields(string(out)), nil
}

func copyPath(s *store.Store, nixRoot string, p storepath.Path, refs []string) error {
	var rs []storepath.Path
	for _, r := range refs {
		rs = append(rs, storepath.Path(r))
	}
	real := filepath.Join(nixRoot, string(p))
	got, err := addText(s, real, p, rs)
	if err != nil {
		return err
	}
	if got == "" {
		info, err := s.AddTree(real, p.Name(), storepath.Recursive, rs)
		if err != nil {
			return err
		}
		got = info.Path
	}
	if got != p {
		return fmt.Errorf("%s was added as %s", p, got)
	}
	return nil
}

// addText adds real as a text path if that is what p is, or returns "".
func addText(s *store.Store, real string, p storepath.Path, refs []storepath.Path) (storepath.Path, error) {
	fi, err := os.Lstat(real)
	if err != nil || !fi.Mode().IsRegular() {
		return "", err
	}
	b, err := os.ReadFile(real)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	if tp, err := storepath.MakeText(p.Name(), sum[:], refs); err != nil || tp != p {
		return "", nil
	}
	return s.AddText(p.Name(), b, refs)
}
