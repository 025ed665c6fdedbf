package builder

// This file defines builtin:fetchurl, Nix's fetcher for fixed-output
// downloads (<nix/fetchurl.nix>). It runs in this process: the output
// hash, checked afterwards, is what makes the result trustworthy.

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/ulikunitz/xz"

	"github.com/frazil/frazil/store/nar"
)

// fetchurl downloads env "url" to the output. With unpack=1 the download
// is a NAR (xz-compressed if the URL ends in .xz) restored as the output;
// with executable=1 the file is made executable.
func (b *Builder) fetchurl(ctx context.Context, n *node, bd *buildDir, log io.Writer) error {
	d := n.drv
	if !d.IsFixedOutput() {
		return fmt.Errorf("'builtin:fetchurl' must be a fixed-output derivation")
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
	body, err := openURL(ctx, rawURL)
	if err != nil {
		return err
	}
	defer body.Close()
	dst := bd.outPath(out)
	if d.Env["unpack"] == "1" {
		var r io.Reader = body
		if strings.HasSuffix(rawURL, ".xz") {
			if r, err = xz.NewReader(body); err != nil {
				return fmt.Errorf("unpack '%s': %w", rawURL, err)
			}
		}
		if err := nar.Restore(dst, r); err != nil {
			return fmt.Errorf("unpack '%s': %w", rawURL, err)
		}
	} else if err := writeDownload(dst, body); err != nil {
		return fmt.Errorf("download '%s': %w", rawURL, err)
	}
	if d.Env["executable"] == "1" {
		if err := os.Chmod(dst, 0o755); err != nil {
			return fmt.Errorf("making '%s' executable: %w", out, err)
		}
	}
	return nil
}

// openURL opens an http, https or file URL.
func openURL(ctx context.Context, rawURL string) (io.ReadCloser, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("bad URL '%s': %w", rawURL, err)
	}
	switch u.Scheme {
	case "file":
		f, err := os.Open(u.Path)
		if err != nil {
			return nil, fmt.Errorf("unable to download '%s': %w", rawURL, err)
		}
		return f, nil
	case "http", "https":
	case "debian":
		return openDebian(ctx, u)
	default:
		return nil, fmt.Errorf("unable to download '%s': unsupported URL scheme '%s'", rawURL, u.Scheme)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("unable to download '%s': %w", rawURL, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("unable to download '%s': HTTP error %d", rawURL, resp.StatusCode)
	}
	return resp.Body, nil
}

func writeDownload(dst string, r io.Reader) error {
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
