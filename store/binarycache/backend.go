package binarycache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/frazil/frazil/internal/faultpoint"
)

// ErrNotFound is wrapped by errors for files a cache does not have.
var ErrNotFound = errors.New("not found in binary cache")

// backend moves whole files in and out of a cache. Names are relative to
// the cache root and use "/" ("nix-cache-info", "<hash>.narinfo",
// "nar/<hash>.nar.xz").
type backend interface {
	// get opens a file; an absent file gives an error wrapping ErrNotFound.
	get(ctx context.Context, name string) (io.ReadCloser, error)
	// exists reports whether a file is present.
	exists(ctx context.Context, name string) (bool, error)
	// put stores a file atomically: readers see the old state or all of
	// r, never part of it. size is r's length, or -1 if unknown.
	put(ctx context.Context, name string, r io.Reader, size int64, contentType string) error
}

// validName reports whether name is a plausible cache file name: relative,
// "/"-separated, without empty, "." or ".." elements or odd characters.
// Both the backends and the server use it so that no name escapes the root.
func validName(name string) bool {
	if name == "" || len(name) > 1024 {
		return false
	}
	for _, el := range strings.Split(name, "/") {
		if el == "" || el == "." || el == ".." || strings.HasPrefix(el, ".") {
			return false
		}
		for i := 0; i < len(el); i++ {
			c := el[i]
			ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
				strings.IndexByte("+-._?=!", c) >= 0
			if !ok {
				return false
			}
		}
	}
	return true
}

// fileBackend is a cache in a local directory (file://DIR).
type fileBackend struct{ dir string }

func (b fileBackend) path(name string) (string, error) {
	if !validName(name) {
		return "", fmt.Errorf("invalid cache file name '%s'", name)
	}
	return filepath.Join(b.dir, filepath.FromSlash(name)), nil
}

func (b fileBackend) get(_ context.Context, name string) (io.ReadCloser, error) {
	p, err := b.path(name)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s: %w", p, ErrNotFound)
	}
	return f, err
}

func (b fileBackend) exists(_ context.Context, name string) (bool, error) {
	p, err := b.path(name)
	if err != nil {
		return false, err
	}
	_, err = os.Stat(p)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

func (b fileBackend) put(_ context.Context, name string, r io.Reader, _ int64, _ string) error {
	p, err := b.path(name)
	if err != nil {
		return err
	}
	return writeFileAtomic(p, r)
}

// writeFileAtomic writes r to a temporary file next to p, fsyncs it,
// renames it to p and fsyncs the directory, so that after a crash p is
// either absent, its old contents or all of r.
func writeFileAtomic(p string, r io.Reader) error {
	dir := filepath.Dir(p)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-"+filepath.Base(p)+"-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", p, err)
	}
	faultpoint.Hit("binarycache.file.written")
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, p); err != nil {
		return err
	}
	faultpoint.Hit("binarycache.file.renamed")
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}

// httpBackend is a cache served over HTTP(S). Uploads use PUT, which
// Frazil's server (and Nix's HTTP binary cache protocol) accepts.
type httpBackend struct {
	base   string // without a trailing slash
	client *http.Client
}

func newHTTPBackend(base string) httpBackend {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = 60 * time.Second
	return httpBackend{base: strings.TrimRight(base, "/"), client: &http.Client{Transport: tr}}
}

func (b httpBackend) url(name string) (string, error) {
	if !validName(name) {
		return "", fmt.Errorf("invalid cache file name '%s'", name)
	}
	return b.base + "/" + name, nil
}

func (b httpBackend) do(ctx context.Context, method, name string, body io.Reader, size int64, contentType string) (*http.Response, error) {
	u, err := b.url(name)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.ContentLength = size
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusForbidden {
		resp.Body.Close()
		return nil, fmt.Errorf("%s %s: %s: %w", method, u, resp.Status, ErrNotFound)
	}
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		return nil, fmt.Errorf("%s %s: %s %s", method, u, resp.Status, strings.TrimSpace(string(msg)))
	}
	return resp, nil
}

func (b httpBackend) get(ctx context.Context, name string) (io.ReadCloser, error) {
	resp, err := b.do(ctx, http.MethodGet, name, nil, 0, "")
	if err != nil {
		return nil, err
	}
	if resp.ContentLength >= 0 {
		return &sizedBody{ReadCloser: resp.Body, left: resp.ContentLength, url: resp.Request.URL.String()}, nil
	}
	return resp.Body, nil
}

func (b httpBackend) exists(ctx context.Context, name string) (bool, error) {
	resp, err := b.do(ctx, http.MethodHead, name, nil, 0, "")
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	resp.Body.Close()
	return true, nil
}

func (b httpBackend) put(ctx context.Context, name string, r io.Reader, size int64, contentType string) error {
	resp, err := b.do(ctx, http.MethodPut, name, r, size, contentType)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

// sizedBody turns a response body that ends before its Content-Length into
// an io.ErrUnexpectedEOF naming the URL (net/http already does so for
// most transfers; this makes the message clear).
type sizedBody struct {
	io.ReadCloser
	left int64
	url  string
}

func (s *sizedBody) Read(p []byte) (int, error) {
	n, err := s.ReadCloser.Read(p)
	s.left -= int64(n)
	if err == io.EOF && s.left > 0 || errors.Is(err, io.ErrUnexpectedEOF) {
		return n, fmt.Errorf("download of %s ended %d bytes early: %w", s.url, s.left, io.ErrUnexpectedEOF)
	}
	return n, err
}
