package binarycache

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/frazil/frazil/store/signature"
)

func get(t *testing.T, method, url string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

// TestServeStore serves an in-memory store with each compression and reads
// it back through Cache, as a client would.
func TestServeStore(t *testing.T) {
	ctx := context.Background()
	dep := makePath(t, "dep", "dependency")
	top := makePath(t, "top", "refers to "+string(dep.info.StorePath), dep.info.StorePath)
	sk, _ := signature.Generate("srv-1", nil)
	for _, comp := range []string{None, XZ, Zstd} {
		t.Run(comp, func(t *testing.T) {
			h, err := NewHandler(HandlerOptions{Store: newMemSource(dep, top), SecretKey: &sk, Compression: comp, Priority: 41})
			if err != nil {
				t.Fatal(err)
			}
			var log bytes.Buffer
			srv := httptest.NewServer(LogRequests(h, &log))
			defer srv.Close()

			resp, body := get(t, "GET", srv.URL+"/nix-cache-info")
			if want := "StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 41\n"; string(body) != want || resp.Header.Get("Content-Type") != "text/x-nix-cache-info" {
				t.Errorf("nix-cache-info = %q (%s), want %q", body, resp.Header.Get("Content-Type"), want)
			}
			c, err := Open(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			ni, err := c.NarInfo(ctx, top.info.StorePath)
			if err != nil {
				t.Fatalf("NarInfo: %v", err)
			}
			if ni.NarHash.String() != top.info.NarHash.String() || ni.Compression != comp {
				t.Errorf("narinfo NarHash %s, Compression %s; want %s, %s", ni.NarHash, ni.Compression, top.info.NarHash, comp)
			}
			if comp == None && (ni.FileSize != ni.NarSize || !ni.FileHash.Equal(ni.NarHash)) {
				t.Errorf("uncompressed narinfo FileHash/FileSize %s/%d, want the NAR's", ni.FileHash, ni.FileSize)
			}
			fp, _ := ni.Fingerprint()
			if _, err := (signature.TrustedKeys{"srv-1": sk.Public()}).Verify(fp, ni.Sigs); err != nil {
				t.Errorf("served signature: %v", err)
			}
			rc, err := c.OpenNAR(ctx, ni)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(got, top.nar) {
				t.Errorf("served NAR: %d bytes, %v; want %d bytes", len(got), err, len(top.nar))
			}
			resp, body = get(t, "HEAD", srv.URL+"/"+ni.URL)
			if resp.StatusCode != 200 || len(body) != 0 || resp.Header.Get("Content-Type") != "application/x-nix-nar" {
				t.Errorf("HEAD NAR: %s, %d body bytes, type %q", resp.Status, len(body), resp.Header.Get("Content-Type"))
			}
			if comp == None && resp.ContentLength != int64(len(top.nar)) {
				t.Errorf("HEAD NAR Content-Length = %d, want %d", resp.ContentLength, len(top.nar))
			}
			if !strings.Contains(log.String(), "GET /"+top.info.StorePath.HashPart()+".narinfo 200") {
				t.Errorf("access log lacks the narinfo request:\n%s", log.String())
			}
		})
	}
}

// TestServeNotFound: unknown paths, stale NAR names, odd names and methods.
func TestServeNotFound(t *testing.T) {
	p := makePath(t, "p", "x")
	src := newMemSource(p)
	h, _ := NewHandler(HandlerOptions{Store: src})
	srv := httptest.NewServer(h)
	defer srv.Close()
	hp := p.info.StorePath.HashPart()
	other := makePath(t, "q", "y").info.StorePath.HashPart()
	tests := []struct {
		method, path string
		want         int
	}{
		{"GET", "/" + hp + ".narinfo", 200},
		{"HEAD", "/" + hp + ".narinfo", 200},
		{"GET", "/" + other + ".narinfo", 404},
		{"HEAD", "/" + other + ".narinfo", 404},
		{"GET", "/nar/" + hp + "-" + p.info.NarHash.Nix32() + ".nar", 200},
		{"GET", "/nar/" + hp + "-" + p.info.NarHash.Nix32() + ".nar.xz", 404}, // served uncompressed only
		{"GET", "/nar/" + hp + "-0000000000000000000000000000000000000000000000000000.nar", 404},
		{"GET", "/nar/" + other + "-" + p.info.NarHash.Nix32() + ".nar", 404},
		{"GET", "/nar/garbage", 404},
		{"GET", "/../../etc/passwd", 404},
		{"GET", "/.hidden", 404},
		{"GET", "/", 404},
		{"PUT", "/" + hp + ".narinfo", 403},
		{"DELETE", "/" + hp + ".narinfo", 405},
	}
	for _, tt := range tests {
		resp, _ := get(t, tt.method, srv.URL+tt.path)
		if resp.StatusCode != tt.want {
			t.Errorf("%s %s = %d, want %d", tt.method, tt.path, resp.StatusCode, tt.want)
		}
	}
	if src.dumps != 1 {
		t.Errorf("store dumped %d times, want 1 (only for the one good NAR GET)", src.dumps)
	}
}

// TestUploadChecks: the directory cache refuses uploads that would break it.
func TestUploadChecks(t *testing.T) {
	dir := t.TempDir()
	h, _ := NewHandler(HandlerOptions{Dir: dir, AllowUpload: true})
	srv := httptest.NewServer(h)
	defer srv.Close()
	p := makePath(t, "p", "x")
	good := *p.info
	good.URL, good.Compression = "nar/x.nar", None
	tests := []struct {
		name, body string
		want       int
	}{
		{p.info.StorePath.HashPart() + ".narinfo", good.String(), 200},
		{p.info.StorePath.HashPart() + ".narinfo", "garbage", 400},
		{makePath(t, "q", "y").info.StorePath.HashPart() + ".narinfo", good.String(), 400},
		{"nix-cache-info", "StoreDir: /gnu/store\n", 400},
		{"nix-cache-info", "StoreDir: /nix/store\n", 200},
		{"nar/x.nar", string(p.nar), 200},
		{"nar/.tmp-x", "x", 400},
		{"nar/a/../../b", "x", 400},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest("PUT", srv.URL+"/"+tt.name, strings.NewReader(tt.body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("PUT %s = %d, want %d", tt.name, resp.StatusCode, tt.want)
		}
	}
	resp, body := get(t, "GET", srv.URL+"/"+p.info.StorePath.HashPart()+".narinfo")
	if resp.StatusCode != 200 || string(body) != good.String() || resp.Header.Get("Content-Type") != "text/x-nix-narinfo" {
		t.Errorf("GET uploaded narinfo = %d %q (%s), want the good upload", resp.StatusCode, body, resp.Header.Get("Content-Type"))
	}
}

func TestNewHandlerErrors(t *testing.T) {
	for _, opts := range []HandlerOptions{
		{},
		{Store: newMemSource(), AllowUpload: true},
		{Store: newMemSource(), Compression: "br"},
	} {
		if _, err := NewHandler(opts); err == nil {
			t.Errorf("NewHandler(%+v) succeeded, want error", opts)
		}
	}
}
