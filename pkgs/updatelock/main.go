// Command updatelock pins the fixed-output paths of the package set in
// pkgs/go.lock.json from what is actually fetched: for each entry it
// builds the fetcher derivation with an empty hash, in a scratch store,
// and records the hash the builder reports. Run it from the repository
// root (scripts/update-pkgs-lock):
//
//	go run ./pkgs/updatelock [-go-version 1.26.8] [-only go|modules]
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/frazil/frazil/build"
	"github.com/frazil/frazil/builder"
	"github.com/frazil/frazil/store"
)

// lockFile is the format of pkgs/go.lock.json.
type lockFile struct {
	Go struct {
		Version string            `json:"version"`
		Hashes  map[string]string `json:"hashes"`
	} `json:"go"`
	Modules map[string]moduleSet `json:"modules"`
}

// moduleSet pins a goModuleProxy: its output hash and the sha256 of the
// go.sum it was made from (the package set refuses a go.sum that changed
// since).
type moduleSet struct {
	Hash        string `json:"hash"`
	GoSumSHA256 string `json:"goSumSha256"`
}

// entry is one hash of the lock and the attribute that fetches it.
type entry struct {
	group       string                      // "go" or "modules"
	buildSystem string                      // the package set's buildSystem
	attr        string                      // the fetcher's attribute
	set         func(l *lockFile, h string) // records the hash
}

var entries = []entry{
	{"go", "x86_64-linux", "go", func(l *lockFile, h string) { l.Go.Hashes["linux-amd64"] = h }},
	{"go", "aarch64-linux", "go", func(l *lockFile, h string) { l.Go.Hashes["linux-arm64"] = h }},
	{"modules", "x86_64-linux", "goModules", func(l *lockFile, h string) {
		l.Modules["frazil"] = moduleSet{Hash: h, GoSumSHA256: goSumSHA256}
	}},
}

func main() {
	lockPath := flag.String("lock", "pkgs/go.lock.json", "the lock file")
	goVersion := flag.String("go-version", "", "pin this Go version (default: keep the locked one)")
	only := flag.String("only", "", "update only the go or the modules entries")
	flag.Parse()
	if err := run(*lockPath, *goVersion, *only); err != nil {
		fmt.Fprintf(os.Stderr, "updatelock: %v\n", err)
		os.Exit(1)
	}
}

// goSumSHA256 is the hex sha256 of go.sum, set by run.
var goSumSHA256 string

func run(lockPath, goVersion, only string) error {
	l, err := readLock(lockPath)
	if err != nil {
		return err
	}
	goSum, err := os.ReadFile("go.sum")
	if err != nil {
		return err
	}
	sum := sha256.Sum256(goSum)
	goSumSHA256 = hex.EncodeToString(sum[:])
	if goVersion != "" {
		l.Go.Version = goVersion
	}
	tmp, err := os.MkdirTemp("", "updatelock-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, e := range entries {
		if only != "" && only != e.group {
			continue
		}
		e.set(l, "")
		h, err := fetchHash(tmp, l, e)
		if err != nil {
			return fmt.Errorf("%s (%s): %w", e.attr, e.buildSystem, err)
		}
		fmt.Fprintf(os.Stderr, "%s for %s: %s\n", e.attr, e.buildSystem, h)
		e.set(l, h)
	}
	return writeLock(lockPath, l)
}

var gotRe = regexp.MustCompile(`got: +(sha256-[A-Za-z0-9+/=]+)`)

// fetchHash builds e's fetcher with the hash left empty and returns the
// hash of what it fetched.
func fetchHash(tmp string, l *lockFile, e entry) (string, error) {
	scratch := filepath.Join(tmp, "lock.json")
	if err := writeLock(scratch, l); err != nil {
		return "", err
	}
	s, err := store.Open(filepath.Join(tmp, "store"))
	if err != nil {
		return "", err
	}
	defer s.Close()
	expr := &build.Expr{
		Expr: fmt.Sprintf("(import ./pkgs { buildSystem = %q; system = %q; lockFile = %s; }).%s",
			e.buildSystem, e.buildSystem, scratch, e.attr),
		Stderr: os.Stderr,
	}
	_, err = build.Run(context.Background(), s, expr, &build.Options{})
	var be *builder.Error
	if !errors.As(err, &be) {
		return "", fmt.Errorf("the build with an empty hash did not fail with a hash mismatch: %v", err)
	}
	m := gotRe.FindStringSubmatch(err.Error())
	if m == nil {
		return "", fmt.Errorf("no hash in the build error: %w", err)
	}
	return m[1], nil
}

func readLock(p string) (*lockFile, error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	l := &lockFile{}
	if err := json.Unmarshal(b, l); err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if l.Go.Hashes == nil {
		l.Go.Hashes = map[string]string{}
	}
	if l.Modules == nil {
		l.Modules = map[string]moduleSet{}
	}
	return l, nil
}

// writeLock writes l to p atomically.
func writeLock(p string, l *lockFile) error {
	b, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return err
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}
