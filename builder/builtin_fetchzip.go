package builder

// This file defines builtin:frazil-fetchzip, Frazil's fetcher for zip
// archives such as the Go toolchain the Go module proxy serves. Like
// builtin:fetchurl it runs in this process and must be fixed-output: the
// recursive hash of the unpacked tree, checked afterwards, is what makes
// the result trustworthy.
//
// Its environment:
//
//	url          http(s)://, file:// or goproxy://MODULE/@v/FILE (below)
//	stripPrefix  a directory every entry must be under; it is removed
//	executable   space-separated path.Match patterns (relative to the
//	             output, after stripping) of files made executable
//
// A goproxy:// URL names a file of the Go module proxy protocol without
// naming a proxy: it is resolved when fetching, against the first entry of
// $GOPROXY (or `go env GOPROXY`) that is a URL, so that no registry host
// is written into a derivation (like Nix's mirror:// URLs).

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// fetchzip downloads a zip archive and unpacks it as the output.
func (b *Builder) fetchzip(ctx context.Context, n *node, bd *buildDir, log io.Writer) error {
	d := n.drv
	if !d.IsFixedOutput() {
		return fmt.Errorf("'builtin:frazil-fetchzip' must be a fixed-output derivation")
	}
	out, ok := n.outputs["out"]
	if !ok {
		return fmt.Errorf("attribute 'out' missing")
	}
	rawURL, ok := d.Env["url"]
	if !ok {
		return fmt.Errorf("attribute 'url' missing")
	}
	fmt.Fprintf(log, "downloading '%s'...\n", rawURL)
	resolved, err := resolveURL(rawURL)
	if err != nil {
		return err
	}
	tmp := filepath.Join(bd.build, "download.zip")
	if err := download(ctx, resolved, tmp); err != nil {
		return fmt.Errorf("download '%s': %w", rawURL, err)
	}
	u := unzipper{prefix: d.Env["stripPrefix"], executable: strings.Fields(d.Env["executable"])}
	if err := u.unpack(tmp, bd.outPath(out)); err != nil {
		return fmt.Errorf("unpack '%s': %w", rawURL, err)
	}
	fmt.Fprintf(log, "unpacked %d files\n", u.files)
	return os.Remove(tmp)
}

// download copies the body at rawURL to the file dst.
func download(ctx context.Context, rawURL, dst string) error {
	body, err := openURL(ctx, rawURL)
	if err != nil {
		return err
	}
	defer body.Close()
	return writeDownload(dst, body)
}

// resolveURL turns a goproxy:// URL into the URL of the configured Go
// module proxy; other URLs are returned as they are.
func resolveURL(rawURL string) (string, error) {
	rest, ok := strings.CutPrefix(rawURL, "goproxy://")
	if !ok {
		return rawURL, nil
	}
	proxy, err := goProxy()
	if err != nil {
		return "", fmt.Errorf("resolve '%s': %w", rawURL, err)
	}
	return strings.TrimSuffix(proxy, "/") + "/" + rest, nil
}

// goProxy returns the first proxy URL of $GOPROXY, or of `go env GOPROXY`
// when the variable is not set.
func goProxy() (string, error) {
	list, ok := os.LookupEnv("GOPROXY")
	if !ok {
		out, err := exec.Command("go", "env", "GOPROXY").Output()
		if err != nil {
			return "", fmt.Errorf("GOPROXY is not set and 'go env GOPROXY' failed: %w", err)
		}
		list = strings.TrimSpace(string(out))
	}
	return firstProxy(list)
}

// firstProxy picks the first URL of a GOPROXY list ("A,B|direct").
func firstProxy(list string) (string, error) {
	for _, p := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == '|' }) {
		switch p = strings.TrimSpace(p); p {
		case "direct", "":
			continue
		case "off":
			return "", fmt.Errorf("GOPROXY is off")
		}
		return p, nil
	}
	return "", fmt.Errorf("GOPROXY %q names no proxy", list)
}

// unzipper unpacks a zip archive into a new directory, refusing entries
// outside prefix, entries that would escape the directory, and symlinks.
type unzipper struct {
	prefix     string
	executable []string
	files      int
}

func (u *unzipper) unpack(zipFile, dst string) error {
	zr, err := zip.OpenReader(zipFile)
	if err != nil {
		return err
	}
	defer zr.Close()
	if err := os.Mkdir(dst, 0o755); err != nil {
		return err
	}
	for _, f := range zr.File {
		rel, err := u.relName(f.Name)
		if err != nil {
			return err
		}
		if rel == "" {
			continue // the prefix directory itself
		}
		if err := u.extract(f, rel, dst); err != nil {
			return fmt.Errorf("%s: %w", f.Name, err)
		}
	}
	return nil
}

// relName returns an entry's path below the prefix.
func (u *unzipper) relName(name string) (string, error) {
	clean := path.Clean(name)
	if path.IsAbs(name) || clean == ".." || strings.HasPrefix(clean, "../") || strings.Contains(name, "\\") {
		return "", fmt.Errorf("entry %q is outside the archive", name)
	}
	if u.prefix == "" {
		return clean, nil
	}
	prefix := strings.TrimSuffix(u.prefix, "/")
	if clean == prefix {
		return "", nil
	}
	rel, ok := strings.CutPrefix(clean, prefix+"/")
	if !ok {
		return "", fmt.Errorf("entry %q is not under %q", name, prefix)
	}
	return rel, nil
}

// extract writes one entry, creating its parent directories.
func (u *unzipper) extract(f *zip.File, rel, dst string) error {
	target := filepath.Join(dst, filepath.FromSlash(rel))
	mode := f.Mode()
	switch {
	case mode.IsDir():
		return os.MkdirAll(target, 0o755)
	case !mode.IsRegular():
		return fmt.Errorf("unsupported file type %v", mode.Type())
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	perm := os.FileMode(0o644)
	if mode&0o100 != 0 || u.isExecutable(rel) {
		perm = 0o755
	}
	r, err := f.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	w, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(w, r); err != nil {
		w.Close()
		return err
	}
	u.files++
	return w.Close()
}

func (u *unzipper) isExecutable(rel string) bool {
	for _, pat := range u.executable {
		if ok, _ := path.Match(pat, rel); ok {
			return true
		}
	}
	return false
}
