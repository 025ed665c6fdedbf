package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/frazil/frazil/kernel"
	"github.com/frazil/frazil/store"
)

var kernelCommand = command{"import Debian kernels: update-lock, fetch, import, unpack, system", runKernel}

func runKernel(args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "usage: frazil kernel update-lock|fetch|import|unpack|system [flags]")
		return errUsage
	}
	switch args[0] {
	case "update-lock":
		return kernelUpdateLock(args[1:])
	case "fetch":
		return kernelFetch(args[1:])
	case "import":
		return kernelImport(args[1:])
	case "unpack":
		return kernelUnpack(args[1:])
	case "system":
		return kernelSystem(args[1:])
	}
	fmt.Fprintf(os.Stderr, "frazil kernel: unknown subcommand %q\n", args[0])
	return errUsage
}

func defaultKernelCache() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "frazil", "kernels")
}

func kernelUpdateLock(args []string) error {
	fs := flag.NewFlagSet("kernel update-lock", flag.ContinueOnError)
	arches := fs.String("arch", "amd64", "comma-separated Debian architectures (amd64, arm64, i386)")
	lockPath := fs.String("lock", "kernel/kernels.lock.json", "lock file to write")
	cache := fs.String("cache", defaultKernelCache(), "download and import cache")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if err := os.MkdirAll(*cache, 0o755); err != nil {
		return err
	}
	lock := &kernel.Lock{}
	if old, err := kernel.ReadLock(*lockPath); err == nil {
		lock = old
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for _, arch := range strings.Split(*arches, ",") {
		e, t, err := kernel.LockCurrent(arch, *cache, os.Stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "kernel: %s %s → %s (%s)\n", e.Package, e.Version, t.Dir, e.StorePath)
		kept := lock.Kernels[:0]
		for _, k := range lock.Kernels {
			if k.Arch != arch {
				kept = append(kept, k)
			}
		}
		lock.Kernels = append(kept, e)
	}
	return lock.Write(*lockPath)
}

func kernelFetch(args []string) error {
	fs := flag.NewFlagSet("kernel fetch", flag.ContinueOnError)
	arch := fs.String("arch", "amd64", "Debian architecture")
	lockPath := fs.String("lock", "kernel/kernels.lock.json", "lock file")
	cache := fs.String("cache", defaultKernelCache(), "download and import cache")
	storeDir := fs.String("store", "", "also add the tree to the store at this root")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	lock, err := kernel.ReadLock(*lockPath)
	if err != nil {
		return err
	}
	e, err := lock.Entry(*arch)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*cache, 0o755); err != nil {
		return err
	}
	t, err := kernel.Fetch(e, *cache)
	if err != nil {
		return err
	}
	if *storeDir == "" {
		fmt.Println(t.Dir)
		return nil
	}
	s, err := store.Open(*storeDir)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := kernel.AddToStore(s, t)
	if err != nil {
		return err
	}
	fmt.Println(p)
	return nil
}

func kernelImport(args []string) error {
	fs := flag.NewFlagSet("kernel import", flag.ContinueOnError)
	arch := fs.String("arch", "amd64", "Debian architecture of the package")
	out := fs.String("out", "", "directory to create for the tree")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: frazil kernel import --arch ARCH --out DIR PACKAGE.deb")
		return errUsage
	}
	t, err := kernel.Import(fs.Arg(0), *arch, *out)
	if err != nil {
		return err
	}
	fmt.Printf("%s\t%s\t%s\n", t.Version, t.NarHash, t.StorePath)
	return nil
}

// kernelSystemAttrs are the structured attributes of a system's kernel
// derivation (pkgs/os makeSystemKernel).
type kernelSystemAttrs struct {
	Tree        string   `json:"tree"`
	ImageFile   string   `json:"imageFile"`
	Version     string   `json:"version"`
	Modules     []string `json:"modules"`
	FileSystems []string `json:"fileSystems"`
}

// kernelSystem is the builder of a system's kernel: the image and the
// closure of the modules the system loads (see kernel.BuildSystem).
func kernelSystem(args []string) error {
	fs := flag.NewFlagSet("kernel system", flag.ContinueOnError)
	attrs := attrsFlag(fs)
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		fmt.Fprintln(os.Stderr, "usage: frazil kernel system [--attrs FILE] (run as a derivation's builder)")
		return errUsage
	}
	var a kernelSystemAttrs
	out, err := readDrvAttrs(*attrs, &a)
	if err != nil {
		return err
	}
	order, err := kernel.BuildSystem(out, kernel.SystemOptions{Tree: a.Tree, ImageFile: a.ImageFile, Version: a.Version, Modules: a.Modules, FileSystems: a.FileSystems})
	if err != nil {
		return err
	}
	fmt.Printf("kernel %s: %s and %d modules\n", a.Version, a.ImageFile, len(order))
	return nil
}
