package binarycache

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/store/narinfo"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/signature"
)

func TestCompressionRoundTrip(t *testing.T) {
	data := bytes.Repeat([]byte("frazil binary cache "), 5000)
	for _, m := range []string{None, XZ, Zstd} {
		var buf bytes.Buffer
		zw, err := NewWriter(m, &buf)
		if err != nil {
			t.Fatalf("NewWriter(%s): %v", m, err)
		}
		zw.Write(data)
		if err := zw.Close(); err != nil {
			t.Fatalf("%s: Close: %v", m, err)
		}
		if m != None && buf.Len() >= len(data)/10 {
			t.Errorf("%s: compressed %d bytes to %d, want much smaller", m, len(data), buf.Len())
		}
		zr, err := NewReader(m, &buf)
		if err != nil {
			t.Fatalf("NewReader(%s): %v", m, err)
		}
		got, err := io.ReadAll(zr)
		zr.Close()
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s: round trip gave %d bytes, %v; want %d bytes", m, len(got), err, len(data))
		}
	}
	for _, m := range []string{"br", "lz4", "gzip"} {
		if _, err := NewReader(m, strings.NewReader("")); err == nil || !strings.Contains(err.Error(), "not supported") {
			t.Errorf("NewReader(%s) error = %v, want 'not supported'", m, err)
		}
	}
	if _, err := NewWriter("bzip2", io.Discard); err == nil {
		t.Error("NewWriter(bzip2) succeeded, want error")
	}
}

func TestOpenURL(t *testing.T) {
	dir := t.TempDir()
	sk, _ := signature.Generate("k-1", nil)
	keyFile := filepath.Join(dir, "sk")
	os.WriteFile(keyFile, []byte(sk.String()+"\n"), 0o600)
	tests := []struct {
		url, wantErr string
		check        func(*Cache) bool
	}{
		{"file://" + dir, "", func(c *Cache) bool { return c.compression == XZ && c.key == nil }},
		{"file://" + dir + "?compression=zstd&priority=30&trusted=1", "", func(c *Cache) bool { return c.compression == Zstd && c.priority == 30 }},
		{"file://" + dir + "?secret-key=" + keyFile, "", func(c *Cache) bool { return c.key != nil && c.key.Name == "k-1" }},
		{"http://127.0.0.1:1/prefix/?compression=none", "", func(c *Cache) bool { return c.compression == None }},
		{"file://" + dir + "?compression=lz4", "not supported for writing", nil},
		{"file://" + dir + "?colour=blue", "unknown setting 'colour'", nil},
		{"file://" + dir + "?secret-key=" + dir + "/missing", "secret key file", nil},
		{"s3://bucket", "unsupported URL", nil},
		{"file://", "no directory", nil},
	}
	for _, tt := range tests {
		c, err := Open(tt.url)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Open(%q) error = %v, want %q", tt.url, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("Open(%q): %v", tt.url, err)
			continue
		}
		if !tt.check(c) {
			t.Errorf("Open(%q) = %+v, settings not applied", tt.url, c)
		}
	}
}

// cacheURLs returns a file:// cache and an http:// cache (our server over
// a directory, uploads allowed) to run the same test on.
func cacheURLs(t *testing.T) map[string]string {
	t.Helper()
	h, err := NewHandler(HandlerOptions{Dir: t.TempDir(), AllowUpload: true})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return map[string]string{"file": "file://" + t.TempDir(), "http": srv.URL}
}

// TestPutAndRead uploads paths with each compression to each kind of cache
// and reads them back, checking the narinfo, the signature and the NAR.
func TestPutAndRead(t *testing.T) {
	ctx := context.Background()
	sk, _ := signature.Generate("cache-1", nil)
	trusted := signature.TrustedKeys{"cache-1": sk.Public()}
	for kind, base := range cacheURLs(t) {
		for _, comp := range []string{XZ, Zstd, None} {
			t.Run(kind+"/"+comp, func(t *testing.T) {
				c, err := Open(base + "?compression=" + comp)
				if err != nil {
					t.Fatal(err)
				}
				c.SetSecretKey(&sk)
				if err := c.Init(ctx); err != nil {
					t.Fatalf("Init: %v", err)
				}
				if _, err := c.Info(ctx); err != nil {
					t.Fatalf("Info: %v", err)
				}
				dep := makePath(t, "dep-"+comp, "dependency")
				top := makePath(t, "top-"+comp, "top refers to "+string(dep.info.StorePath), dep.info.StorePath)
				for _, p := range []testPath{dep, top} {
					if _, err := c.PutPath(ctx, p.info, bytes.NewReader(p.nar)); err != nil {
						t.Fatalf("PutPath(%s): %v", p.info.StorePath, err)
					}
				}
				ni, err := c.NarInfo(ctx, top.info.StorePath)
				if err != nil {
					t.Fatalf("NarInfo: %v", err)
				}
				if ni.Compression != comp || !strings.HasSuffix(ni.URL, Ext(comp)) || !strings.HasPrefix(ni.URL, "nar/"+ni.FileHash.Nix32()) {
					t.Errorf("narinfo URL %q, Compression %q, FileHash %s: inconsistent with %s", ni.URL, ni.Compression, ni.FileHash, comp)
				}
				if len(ni.References) != 1 || ni.References[0] != dep.info.StorePath {
					t.Errorf("References = %v, want [%s]", ni.References, dep.info.StorePath)
				}
				fp, _ := ni.Fingerprint()
				if _, err := trusted.Verify(fp, ni.Sigs); err != nil {
					t.Errorf("signature: %v", err)
				}
				rc, err := c.OpenNAR(ctx, ni)
				if err != nil {
					t.Fatalf("OpenNAR: %v", err)
				}
				got, err := io.ReadAll(rc)
				rc.Close()
				if err != nil || !bytes.Equal(got, top.nar) {
					t.Errorf("NAR read back: %d bytes, %v; want %d bytes", len(got), err, len(top.nar))
				}
				if ok, err := c.HasPath(ctx, top.info.StorePath); !ok || err != nil {
					t.Errorf("HasPath = %v, %v, want true", ok, err)
				}
				missing := makePath(t, "missing", "x").info.StorePath
				if ok, err := c.HasPath(ctx, missing); ok || err != nil {
					t.Errorf("HasPath(missing) = %v, %v, want false, nil", ok, err)
				}
				if _, err := c.NarInfo(ctx, missing); !errors.Is(err, ErrNotFound) {
					t.Errorf("NarInfo(missing) error = %v, want ErrNotFound", err)
				}
			})
		}
	}
}

func TestPutPathRejectsWrongNAR(t *testing.T) {
	c, err := Open("file://" + t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p := makePath(t, "p", "contents")
	bad := *p.info
	bad.NarSize++
	if _, err := c.PutPath(context.Background(), &bad, bytes.NewReader(p.nar)); err == nil || !strings.Contains(err.Error(), "want") {
		t.Errorf("PutPath with wrong NarSize: error %v, want a mismatch error", err)
	}
	if ok, _ := c.HasPath(context.Background(), p.info.StorePath); ok {
		t.Error("a narinfo was written for a rejected NAR")
	}
}

// TestOpenNARChecksFile: a NAR file whose size or hash disagrees with the
// narinfo is an error by the end of the stream.
func TestOpenNARChecksFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, _ := Open("file://" + dir + "?compression=none")
	p := makePath(t, "p", "some contents")
	ni, err := c.PutPath(ctx, p.info, bytes.NewReader(p.nar))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		edit func(*narinfo.NarInfo)
		want string
	}{
		{"size", func(n *narinfo.NarInfo) { n.FileSize++ }, "narinfo says FileSize"},
		{"hash", func(n *narinfo.NarInfo) { n.FileHash = nixhash.Sum(nixhash.SHA256, nil) }, "narinfo says FileHash"},
		{"url", func(n *narinfo.NarInfo) { n.URL = "nar/absent.nar" }, "not found"},
		{"escaping url", func(n *narinfo.NarInfo) { n.URL = "../etc/passwd" }, "invalid URL"},
	}
	for _, tt := range tests {
		bad := *ni
		tt.edit(&bad)
		rc, err := c.OpenNAR(ctx, &bad)
		if err == nil {
			_, err = io.ReadAll(rc)
			rc.Close()
		}
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}
