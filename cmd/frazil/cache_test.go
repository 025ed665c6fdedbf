package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/signature"
	"github.com/frazil/frazil/store/storepath"
)

// syncBuffer is a bytes.Buffer safe for a server goroutine to write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// newStoreWithTree makes a store holding a small tree and a text file
// referring to it, and returns its root and the text file's path.
func newStoreWithTree(t *testing.T) (string, storepath.Path) {
	t.Helper()
	root := t.TempDir()
	s, err := store.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "hello"), []byte("hello\n"), 0o755)
	info, err := s.AddTree(src, "tree", storepath.Recursive, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.AddText("note", []byte("see "+string(info.Path)), []storepath.Path{info.Path})
	if err != nil {
		t.Fatal(err)
	}
	return root, p
}

func writeKey(t *testing.T) (keyFile, pub string) {
	t.Helper()
	sk, err := signature.Generate("cli-test-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	keyFile = filepath.Join(t.TempDir(), "sk")
	if err := os.WriteFile(keyFile, []byte(sk.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return keyFile, sk.Public().String()
}

type copyResult struct {
	From, To      string
	Paths, Copied []string
	Error         string
}

// TestCacheServeAndCopyFrom serves a store, copies from it with store copy
// --from http://…, then shuts the server down through its context.
func TestCacheServeAndCopyFrom(t *testing.T) {
	root, p := newStoreWithTree(t)
	keyFile, pub := writeKey(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var log syncBuffer
	ready := make(chan string, 1)
	served := make(chan error, 1)
	go func() {
		served <- cacheServe(ctx, []string{"--addr", "127.0.0.1:0", "--store", root, "--secret-key-file", keyFile, "--compression", "zstd"}, &log, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-served:
		t.Fatalf("server ended: %v", err)
	}
	dst := t.TempDir()
	var out, progress bytes.Buffer
	err := storeCopyMain(ctx, []string{"--from", "http://" + addr, string(p), "--store", dst, "--trusted-public-keys", pub, "--json"}, &out, &progress)
	if err != nil {
		t.Fatalf("store copy --from: %v\n%s", err, progress.String())
	}
	var res copyResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatalf("--json output %q: %v", out.String(), err)
	}
	if len(res.Copied) != 2 || res.Copied[1] != string(p) || res.From != "http://"+addr || res.Error != "" {
		t.Errorf("--json = %+v, want the tree then %s copied from http://%s", res, p, addr)
	}
	if got := strings.Count(progress.String(), "copying path '"); got != 2 || !strings.Contains(progress.String(), "(2/2, ") {
		t.Errorf("progress on stderr:\n%s\nwant one line per path", progress.String())
	}
	s, err := store.Open(dst)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.QueryPathInfo(p)
	s.Close()
	if err != nil || len(info.Signatures) != 1 || !strings.HasPrefix(info.Signatures[0], "cli-test-1:") {
		t.Errorf("copied info %+v, %v; want it signed by cli-test-1", info, err)
	}
	cancel()
	if err := <-served; err != nil {
		t.Errorf("server after cancel: %v", err)
	}
	for _, want := range []string{"serving binary cache on http://" + addr, "GET /nix-cache-info 200", ".narinfo 200", "GET /nar/", "shutting down"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("server log lacks %q:\n%s", want, log.String())
		}
	}
}

// TestStoreCopyToFileAndBack uploads to a file cache, signed, and copies
// back into another store; untrusted and unsigned attempts fail cleanly.
func TestStoreCopyToFileAndBack(t *testing.T) {
	root, p := newStoreWithTree(t)
	keyFile, pub := writeKey(t)
	cache := "file://" + t.TempDir() + "?compression=xz"
	ctx := context.Background()
	var out, errOut bytes.Buffer
	if err := storeCopyMain(ctx, []string{"--to", cache, "--store", root, "--secret-key-file", keyFile, string(p)}, &out, &errOut); err != nil {
		t.Fatalf("--to: %v\n%s", err, errOut.String())
	}
	dst := t.TempDir()
	other, _ := signature.Generate("other-1", nil)
	// The text file is content-addressed, and so is the tree: both are
	// trusted without a key. --no-check-sigs is not needed either.
	err := storeCopyMain(ctx, []string{"--from", cache, "--store", dst, "--trusted-public-keys", other.Public().String(), string(p)}, &out, &errOut)
	if err != nil {
		t.Fatalf("--from (content-addressed paths): %v", err)
	}
	if err := storeCopyMain(ctx, []string{"--from", cache, "--store", t.TempDir(), "--trusted-public-keys", pub, string(p)}, &out, &errOut); err != nil {
		t.Errorf("--from with the signing key: %v", err)
	}
	err = storeCopyMain(ctx, []string{"--from", cache, "--store", t.TempDir(), "--trusted-public-keys", "garbage", string(p)}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "--trusted-public-keys") {
		t.Errorf("bad --trusted-public-keys: %v", err)
	}
}

func TestStoreCopyUsage(t *testing.T) {
	p := "/nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir"
	for _, args := range [][]string{
		{p},
		{"--from", "file:///x", "--to", "file:///y", p},
		{"--from", "file:///x"},
		{"--bogus", p},
	} {
		var out, errOut bytes.Buffer
		if err := storeCopyMain(context.Background(), args, &out, &errOut); !errors.Is(err, errUsage) {
			t.Errorf("store copy %v: %v, want errUsage", args, err)
		}
	}
	var out, errOut bytes.Buffer
	err := storeCopyMain(context.Background(), []string{"--from", "ftp://x", "--store", t.TempDir(), p}, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "unsupported URL") {
		t.Errorf("ftp URL: %v, want 'unsupported URL'", err)
	}
}

// TestCacheServeSIGTERM runs the real binary and stops it with SIGTERM: it
// must log requests, shut down gracefully and exit 0.
func TestCacheServeSIGTERM(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "frazil")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "nix-cache-info"), []byte("StoreDir: /nix/store\n"), 0o644)
	cmd := exec.Command(bin, "cache", "serve", "--addr", "127.0.0.1:0", "--dir", dir)
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stderr)
	var addr string
	if lines.Scan() {
		addr, _ = strings.CutPrefix(lines.Text(), "serving binary cache on ")
	}
	if !strings.HasPrefix(addr, "http://127.0.0.1:") {
		t.Fatalf("first line %q, want the address", lines.Text())
	}
	resp, err := http.Get(addr + "/nix-cache-info")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "StoreDir: /nix/store\n" {
		t.Errorf("GET nix-cache-info = %d %q", resp.StatusCode, body)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	var rest []string
	for lines.Scan() {
		rest = append(rest, lines.Text())
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v, want status 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not stop after SIGTERM")
	}
	log := strings.Join(rest, "\n")
	if !strings.Contains(log, "GET /nix-cache-info 200") || !strings.Contains(log, "shutting down") {
		t.Errorf("stderr after the address:\n%s\nwant an access log line and 'shutting down'", log)
	}
}
