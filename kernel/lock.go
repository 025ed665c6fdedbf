package kernel

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"

	"github.com/frazil/frazil/internal/faultpoint"
)

// LockEntry pins one imported kernel.
type LockEntry struct {
	Arch          string `json:"arch"`          // Debian architecture: amd64, arm64, i386
	Package       string `json:"package"`       // linux-image-6.1.0-9-amd64
	Version       string `json:"version"`       // Debian package version
	DebSHA256     string `json:"debSha256"`     // hex sha256 of the .deb
	Filename      string `json:"filename"`      // the .deb's path in the archive (pool/main/…), for debian: URLs
	KernelVersion string `json:"kernelVersion"` // module directory name
	NarHash       string `json:"narHash"`       // sha256:<nix32> of the imported tree
	StorePath     string `json:"storePath"`     // its fixed-output store path
}

// Lock is kernels.lock.json.
type Lock struct {
	Kernels []LockEntry `json:"kernels"`
}

// ReadLock reads a lock file.
func ReadLock(path string) (*Lock, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("kernel lock: %w", err)
	}
	var l Lock
	if err := json.Unmarshal(data, &l); err != nil {
		return nil, fmt.Errorf("kernel lock %s: %w", path, err)
	}
	return &l, nil
}

// Entry returns the entry for arch.
func (l *Lock) Entry(arch string) (LockEntry, error) {
	for _, e := range l.Kernels {
		if e.Arch == arch {
			return e, nil
		}
	}
	return LockEntry{}, fmt.Errorf("kernel lock: no kernel for %s", arch)
}

// Write writes the lock atomically (temp file, fsync, rename, fsync dir).
func (l *Lock) Write(path string) error {
	sort.Slice(l.Kernels, func(i, j int) bool { return l.Kernels[i].Arch < l.Kernels[j].Arch })
	data, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(path, append(data, '\n'))
}

func writeAtomic(path string, data []byte) error {
	// Temp files of writes killed half-way are garbage.
	if stale, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"*")); len(stale) > 0 {
		for _, f := range stale {
			os.Remove(f)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path))
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	faultpoint.Hit("kernel.write.synced")
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	faultpoint.Hit("kernel.write.renamed")
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// metaPackages are the Debian meta packages that track the current kernel.
var metaPackages = map[string]string{"amd64": "linux-image-amd64", "arm64": "linux-image-arm64", "i386": "linux-image-686"}

// ResolveMeta asks apt which concrete linux-image package the architecture's
// meta package depends on now.
func ResolveMeta(arch string) (string, error) {
	meta, ok := metaPackages[arch]
	if !ok {
		return "", fmt.Errorf("kernel: unsupported architecture %q", arch)
	}
	out, err := exec.Command("apt-cache", "depends", meta+":"+arch).Output()
	if err != nil {
		return "", fmt.Errorf("apt-cache depends %s:%s: %w", meta, arch, err)
	}
	m := regexp.MustCompile(`Depends: (linux-image-[0-9][^\s:]*)`).FindStringSubmatch(string(out))
	if m == nil {
		return "", fmt.Errorf("apt-cache depends %s:%s: no linux-image dependency in %q (for a foreign architecture run dpkg --add-architecture %s && apt-get update)", meta, arch, out, arch)
	}
	return m[1], nil
}

// ArchiveFilename asks apt where pkg:arch=version lives in the archive
// (its Filename field, e.g. pool/main/l/linux-signed-amd64/….deb), so that
// the package can later be fetched from any configured mirror.
func ArchiveFilename(pkg, version, arch string) (string, error) {
	spec := pkg + ":" + arch + "=" + version
	out, err := exec.Command("apt-cache", "show", spec).Output()
	if err != nil {
		return "", fmt.Errorf("apt-cache show %s: %w", spec, err)
	}
	return parseFilename(spec, out)
}

// parseFilename returns the first Filename field of apt-cache show output.
func parseFilename(spec string, out []byte) (string, error) {
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Filename: "); ok && strings.HasSuffix(v, ".deb") {
			return strings.TrimSpace(v), nil
		}
	}
	return "", fmt.Errorf("apt-cache show %s: no Filename field", spec)
}

// Download fetches pkg:arch (=version when version is set) into dir with
// apt-get download and returns the .deb's path.
func Download(pkg, version, arch, dir string) (string, error) {
	spec := pkg + ":" + arch
	if version != "" {
		spec += "=" + version
	}
	cmd := exec.Command("apt-get", "download", "-q", spec)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("apt-get download %s: %w\n%s", spec, err, out)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, pkg+"_*_"+arch+".deb"))
	if len(matches) == 0 {
		return "", fmt.Errorf("apt-get download %s: no .deb appeared in %s", spec, dir)
	}
	sort.Strings(matches)
	return matches[len(matches)-1], nil
}

// debVersion reads the version from a name_version_arch.deb file name.
func debVersion(path string) string {
	parts := strings.Split(strings.TrimSuffix(filepath.Base(path), ".deb"), "_")
	if len(parts) != 3 {
		return ""
	}
	return strings.ReplaceAll(parts[1], "%3a", ":")
}

// FileSHA256 returns the hex sha256 of a file.
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Lock downloads the current kernel for arch into cacheDir, imports it
// under cacheDir and returns its lock entry and tree.
func LockCurrent(arch, cacheDir string, progress io.Writer) (LockEntry, *Tree, error) {
	pkg, err := ResolveMeta(arch)
	if err != nil {
		return LockEntry{}, nil, err
	}
	fmt.Fprintf(progress, "kernel: downloading %s:%s\n", pkg, arch)
	deb, err := Download(pkg, "", arch, cacheDir)
	if err != nil {
		return LockEntry{}, nil, err
	}
	e := LockEntry{Arch: arch, Package: pkg, Version: debVersion(deb)}
	if e.DebSHA256, err = FileSHA256(deb); err != nil {
		return LockEntry{}, nil, err
	}
	if e.Filename, err = ArchiveFilename(pkg, e.Version, arch); err != nil {
		return LockEntry{}, nil, err
	}
	fmt.Fprintf(progress, "kernel: importing %s\n", filepath.Base(deb))
	t, err := importCached(deb, arch, cacheDir, e.DebSHA256)
	if err != nil {
		return LockEntry{}, nil, err
	}
	e.KernelVersion, e.NarHash, e.StorePath = t.Version, t.NarHash.String(), string(t.StorePath)
	return e, t, nil
}

// Fetch gets the kernel a lock entry pins, checking the .deb's sha256 and
// the tree's NAR hash, and returns the imported tree (cached in cacheDir by
// the .deb's hash).
func Fetch(e LockEntry, cacheDir string) (*Tree, error) {
	deb := filepath.Join(cacheDir, e.Package+"_"+strings.ReplaceAll(e.Version, ":", "%3a")+"_"+e.Arch+".deb")
	if sum, err := FileSHA256(deb); err != nil || sum != e.DebSHA256 {
		os.Remove(deb)
		if deb, err = Download(e.Package, e.Version, e.Arch, cacheDir); err != nil {
			return nil, fmt.Errorf("kernel %s %s is pinned in the lock but cannot be downloaded (regenerate with frazil kernel update-lock): %w", e.Package, e.Version, err)
		}
	}
	sum, err := FileSHA256(deb)
	if err != nil {
		return nil, err
	}
	if sum != e.DebSHA256 {
		return nil, fmt.Errorf("kernel %s: sha256 %s, lock says %s", deb, sum, e.DebSHA256)
	}
	t, err := importCached(deb, e.Arch, cacheDir, sum)
	if err != nil {
		return nil, err
	}
	if t.NarHash.String() != e.NarHash {
		return nil, fmt.Errorf("kernel %s: imported tree has NAR hash %s, lock says %s", deb, t.NarHash, e.NarHash)
	}
	return t, nil
}

// importCached imports deb into cacheDir/tree-<sha>, reusing a complete
// earlier import (marked by a .done file written last).
func importCached(deb, arch, cacheDir, sum string) (*Tree, error) {
	dir := filepath.Join(cacheDir, "tree-"+sum[:16])
	done := dir + ".done"
	// Concurrent imports of the same package (parallel tests, two
	// checkouts sharing the cache) take turns.
	lock, err := os.OpenFile(dir+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return nil, fmt.Errorf("lock %s: %w", lock.Name(), err)
	}
	if data, err := os.ReadFile(done); err == nil {
		var t Tree
		if json.Unmarshal(data, &t) == nil && t.Dir == dir {
			return &t, nil
		}
	}
	os.RemoveAll(dir)
	t, err := Import(deb, arch, dir)
	if err != nil {
		return nil, err
	}
	data, _ := json.Marshal(t)
	return t, writeAtomic(done, data)
}
