package builder

// This file defines builtin:frazil-gomodproxy: it downloads the Go modules
// a go.sum lists and lays them out as a module proxy directory
// (<escaped module>/@v/<version>.mod and .zip), so that Go builds can use
// GOPROXY=file://<output> with no network. It must be fixed-output; the
// go command also checks every file against go.sum when it uses it.
//
// Its environment:
//
//	goSum   the contents of go.sum
//	proxy   the base URL (default goproxy://, resolved as for
//	        builtin:frazil-fetchzip)
//
// Downloading in this process, rather than running `go mod download` in
// the sandbox, needs no TLS trust store inside the sandbox and gives an
// output with exactly the files go.sum names (no lock files, no sumdb
// cache, no version lists).

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// goModFile is one file of the proxy layout.
type goModFile struct {
	module, version, ext string // ext: ".mod" or ".zip"
}

// name is the file's path in the proxy layout.
func (f goModFile) name() (string, error) {
	m, err := escapeModulePath(f.module)
	if err != nil {
		return "", err
	}
	v, err := escapeModulePath(f.version)
	if err != nil {
		return "", err
	}
	return m + "/@v/" + v + f.ext, nil
}

// parseGoSum returns the files a go.sum asks for, sorted and without
// duplicates.
func parseGoSum(goSum string) ([]goModFile, error) {
	seen := map[goModFile]bool{}
	sc := bufio.NewScanner(strings.NewReader(goSum))
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if len(fields) != 3 || !strings.HasPrefix(fields[2], "h1:") {
			return nil, fmt.Errorf("go.sum:%d: malformed line %q", line, sc.Text())
		}
		f := goModFile{module: fields[0], version: fields[1], ext: ".zip"}
		if v, ok := strings.CutSuffix(f.version, "/go.mod"); ok {
			f.version, f.ext = v, ".mod"
		}
		if !validModulePath(f.module) || !validVersion(f.version) {
			return nil, fmt.Errorf("go.sum:%d: bad module or version in %q", line, sc.Text())
		}
		seen[f] = true
	}
	files := make([]goModFile, 0, len(seen))
	for f := range seen {
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool {
		a, b := files[i], files[j]
		return a.module+" "+a.version+a.ext < b.module+" "+b.version+b.ext
	})
	return files, nil
}

// validModulePath accepts the module paths the go command accepts:
// slash-separated non-empty elements of letters, digits and "-._~+",
// none of them "." or "..".
func validModulePath(m string) bool {
	for _, elem := range strings.Split(m, "/") {
		if elem == "" || elem == "." || elem == ".." || strings.Trim(elem, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+") != "" {
			return false
		}
	}
	return true
}

// validVersion accepts semantic versions as go.sum writes them
// ("v1.2.3", "v0.0.0-2024…-abc", "v2.0.0+incompatible").
func validVersion(v string) bool {
	return len(v) > 1 && v[0] == 'v' && v != "v." && v != "v.." &&
		strings.Trim(v[1:], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.+") == ""
}

// escapeModulePath escapes upper-case letters as the module proxy
// protocol does ("!" followed by the lower-case letter).
func escapeModulePath(s string) (string, error) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '!' || r < ' ' || r == 0x7f:
			return "", fmt.Errorf("invalid character %q in %q", r, s)
		case 'A' <= r && r <= 'Z':
			b.WriteByte('!')
			b.WriteRune(r + 'a' - 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), nil
}

// gomodproxy fetches the files of env goSum into the output.
func (b *Builder) gomodproxy(ctx context.Context, n *node, bd *buildDir, log io.Writer) error {
	d := n.drv
	if !d.IsFixedOutput() {
		return fmt.Errorf("'builtin:frazil-gomodproxy' must be a fixed-output derivation")
	}
	out, ok := n.outputs["out"]
	if !ok {
		return fmt.Errorf("attribute 'out' missing")
	}
	files, err := parseGoSum(d.Env["goSum"])
	if err != nil {
		return err
	}
	base := d.Env["proxy"]
	if base == "" {
		base = "goproxy://"
	}
	if base, err = resolveURL(base); err != nil {
		return err
	}
	fmt.Fprintf(log, "fetching %d module files\n", len(files))
	return fetchAll(ctx, files, strings.TrimSuffix(base, "/"), bd.outPath(out))
}

// fetchAll downloads files into dst, a few at a time.
func fetchAll(ctx context.Context, files []goModFile, base, dst string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan goModFile)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		firstEr error
	)
	for range 4 {
		wg.Go(func() {
			for f := range jobs {
				if err := fetchModFile(ctx, f, base, dst); err != nil {
					mu.Lock()
					if firstEr == nil {
						firstEr = err
						cancel()
					}
					mu.Unlock()
				}
			}
		})
	}
	for _, f := range files {
		if ctx.Err() != nil {
			break
		}
		jobs <- f
	}
	close(jobs)
	wg.Wait()
	if firstEr == nil {
		firstEr = ctx.Err()
	}
	return firstEr
}

func fetchModFile(ctx context.Context, f goModFile, base, dst string) error {
	name, err := f.name()
	if err != nil {
		return err
	}
	target := filepath.Join(dst, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	if err := download(ctx, base+"/"+name, target); err != nil {
		return fmt.Errorf("fetch %s@%s%s: %w", f.module, f.version, f.ext, err)
	}
	return nil
}
