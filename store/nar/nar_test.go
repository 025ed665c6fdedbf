package nar

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// vectorFS is the tree of NIXOS.md Appendix A.6, whose NAR Nix 2.8 gives as
// 880 bytes with the sha256 below.
var vectorFS = fstest.MapFS{
	"a.txt":   {Data: []byte("hi\n"), Mode: 0o644},
	"link":    {Data: []byte("a.txt"), Mode: fs.ModeSymlink | 0o777},
	"sub":     {Mode: fs.ModeDir | 0o755},
	"sub/run": {Data: []byte("#!/bin/sh\n"), Mode: 0o755},
}

const vectorSHA256 = "d35cc73ab28fee18599c45736fc96d5af2eb91faa622e87f3b95efdcc36f0dac"

func TestDumpVector(t *testing.T) {
	var fsNAR bytes.Buffer
	if err := DumpFS(&fsNAR, vectorFS, "."); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "src")
	writeTree(t, dir, vectorFS)
	var osNAR bytes.Buffer
	if err := DumpPath(&osNAR, dir); err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string][]byte{"DumpFS": fsNAR.Bytes(), "DumpPath": osNAR.Bytes()} {
		sum := sha256.Sum256(got)
		if len(got) != 880 || hex.EncodeToString(sum[:]) != vectorSHA256 {
			t.Errorf("%s: %d bytes, sha256 %x; want 880 bytes, sha256 %s", name, len(got), sum, vectorSHA256)
		}
	}
}

// writeTree materialises a MapFS on disk (directories implied by paths).
func writeTree(t testing.TB, dir string, m fstest.MapFS) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, f := range m {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case f.Mode.IsDir():
			err = os.MkdirAll(p, 0o755)
		case f.Mode&fs.ModeSymlink != 0:
			err = os.Symlink(string(f.Data), p)
		default:
			err = os.WriteFile(p, f.Data, 0o644)
			if err == nil {
				err = os.Chmod(p, f.Mode.Perm())
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// sampleTrees covers every node type and the corner cases of the format.
func sampleTrees() map[string]fstest.MapFS {
	big := bytes.Repeat([]byte("0123456789abcdef"), 100000) // 1.6 MB, several buffers
	return map[string]fstest.MapFS{
		"vector":     vectorFS,
		"empty dir":  {".": {Mode: fs.ModeDir | 0o755}},
		"empty file": {"f": {Data: nil, Mode: 0o644}},
		"exec empty": {"x": {Data: nil, Mode: 0o755}},
		"padding": {
			"1": {Data: []byte("a")}, "7": {Data: []byte("abcdefg")},
			"8": {Data: []byte("abcdefgh")}, "9": {Data: []byte("abcdefghi")},
		},
		"nested empty dirs": {"a/b/c/d": {Mode: fs.ModeDir | 0o755}, "a/e": {Mode: fs.ModeDir | 0o755}},
		"unicode":           {"grüße/日本語.txt": {Data: []byte("ü")}, "Ω": {Data: []byte("x"), Mode: 0o755}},
		"sort order":        {"B": {}, "a": {}, "a.b": {}, "a-b": {}, "ab": {}, "a/x": {}},
		"symlinks": {
			"abs": {Data: []byte("/nix/store/abc"), Mode: fs.ModeSymlink}, "dangling": {Data: []byte("../nowhere"), Mode: fs.ModeSymlink},
			"d/up": {Data: []byte(".."), Mode: fs.ModeSymlink},
		},
		"large":   {"big": {Data: big}, "small": {Data: []byte("s")}},
		"maxname": {strings.Repeat("n", 255): {Data: []byte("long")}},
	}
}

// walk parses a NAR fully and returns its headers and file contents.
func walk(t testing.TB, nar []byte) ([]Header, [][]byte) {
	t.Helper()
	r := NewReader(bytes.NewReader(nar))
	var hs []Header
	var contents [][]byte
	for {
		h, err := r.Next()
		if err == io.EOF {
			return hs, contents
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		hs = append(hs, *h)
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("reading %s: %v", h.Path, err)
		}
		contents = append(contents, b)
	}
}

// rewrite serialises headers and contents again.
func rewrite(t testing.TB, hs []Header, contents [][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for i := range hs {
		if err := w.WriteHeader(&hs[i]); err != nil {
			t.Fatalf("WriteHeader(%q): %v", hs[i].Path, err)
		}
		if _, err := w.Write(contents[i]); err != nil {
			t.Fatalf("Write(%q): %v", hs[i].Path, err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	for name, tree := range sampleTrees() {
		t.Run(name, func(t *testing.T) {
			var nar bytes.Buffer
			if err := DumpFS(&nar, tree, "."); err != nil {
				t.Fatal(err)
			}
			hs, contents := walk(t, nar.Bytes())
			if got := rewrite(t, hs, contents); !bytes.Equal(got, nar.Bytes()) {
				t.Errorf("reader→writer round trip changed the NAR (%d bytes, want %d)", len(got), nar.Len())
			}
			dst := filepath.Join(t.TempDir(), "out")
			if err := Restore(dst, bytes.NewReader(nar.Bytes())); err != nil {
				t.Fatal(err)
			}
			var again bytes.Buffer
			if err := DumpPath(&again, dst); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(again.Bytes(), nar.Bytes()) {
				t.Errorf("restore→dump changed the NAR (%d bytes, want %d)", again.Len(), nar.Len())
			}
		})
	}
}

func TestRestoreModes(t *testing.T) {
	var nar bytes.Buffer
	if err := DumpFS(&nar, vectorFS, "."); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "out")
	if err := Restore(dst, &nar); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path string
		exec bool
	}{{"a.txt", false}, {"sub/run", true}} {
		fi, err := os.Stat(filepath.Join(dst, tt.path))
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode()&0o100 != 0; got != tt.exec {
			t.Errorf("%s: executable = %v, want %v", tt.path, got, tt.exec)
		}
	}
	if target, err := os.Readlink(filepath.Join(dst, "link")); err != nil || target != "a.txt" {
		t.Errorf("link -> %q, %v; want a.txt", target, err)
	}
	if err := Restore(dst, bytes.NewReader(nil)); err == nil {
		t.Error("Restore into an existing directory from an empty stream succeeded")
	}
}

// raw builds NAR bytes token by token, to make malformed archives.
type raw struct{ bytes.Buffer }

func (b *raw) u64(n uint64) *raw {
	binary.Write(&b.Buffer, binary.LittleEndian, n)
	return b
}

func (b *raw) s(ss ...string) *raw {
	for _, s := range ss {
		b.u64(uint64(len(s)))
		b.WriteString(s)
		b.Write(make([]byte, padding(uint64(len(s)))))
	}
	return b
}

// file appends a regular-file node with contents c.
func (b *raw) file(c string) *raw { return b.s("(", "type", "regular", "contents", c, ")") }

// dir returns a directory NAR with the given entry names, each an empty file.
func dirNAR(names ...string) []byte {
	b := new(raw).s(Magic, "(", "type", "directory")
	for _, n := range names {
		b.s("entry", "(", "name", n, "node").file("").s(")")
	}
	return b.s(")").Bytes()
}

func TestReaderRejects(t *testing.T) {
	valid := dirNAR("a", "b")
	badPad := new(raw).s(Magic, "(", "type", "regular", "contents").u64(1)
	badPad.WriteString("x\x00\x00\x01\x00\x00\x00\x00")
	badPad.s(")")
	tests := []struct {
		name    string
		nar     []byte
		path    string // node the error must name
		wantMsg string
	}{
		{"empty name", dirNAR(""), "", "empty entry name"},
		{"dot", dirNAR("."), "", `entry name "." is not allowed`},
		{"dotdot", dirNAR(".."), "", `entry name ".." is not allowed`},
		{"slash", dirNAR("a/b"), "", "contains '/' or NUL"},
		{"nul", dirNAR("a\x00b"), "", "contains '/' or NUL"},
		{"duplicate", dirNAR("a", "a"), "a", "NAR directory is not sorted"},
		{"unsorted", dirNAR("b", "a"), "a", "NAR directory is not sorted"},
		{"name too long", dirNAR(strings.Repeat("x", 256)), "", "entry name length 256 exceeds the limit of 255"},
		{"huge length", new(raw).s(Magic, "(", "type").u64(1 << 62).Bytes(), "", "token length 4611686018427387904 exceeds"},
		{"bad magic", new(raw).s("nix-archive-2").Bytes(), "", `got "nix-archive-2", want "nix-archive-1"`},
		{"unknown type", new(raw).s(Magic, "(", "type", "fifo", ")").Bytes(), "", `unknown node type "fifo"`},
		{"unknown dir item", new(raw).s(Magic, "(", "type", "directory", "entri").Bytes(), "", `got "entri", want "entry" or ")"`},
		{"bad padding", badPad.Bytes(), "", "non-zero padding"},
		{"trailing garbage", append(append([]byte{}, valid...), 0), "", "trailing data"},
		{"trailing archive", append(append([]byte{}, valid...), valid...), "", "trailing data"},
		{"executable flag", new(raw).s(Magic, "(", "type", "regular", "executable", "x").Bytes(), "", `got "x", want ""`},
		{"empty target", new(raw).s(Magic, "(", "type", "symlink", "target", "", ")").Bytes(), "", "invalid symlink target"},
		{"long target", new(raw).s(Magic, "(", "type", "symlink", "target", strings.Repeat("t", 4096), ")").Bytes(), "", "symlink target length 4096 exceeds"},
		{"nested bad", new(raw).s(Magic, "(", "type", "directory", "entry", "(", "name", "d", "node", "(", "type", "directory", "entry", "(", "name", "..").Bytes(), "d", `entry name ".." is not allowed`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := readAll(tt.nar)
			var ne *Error
			if !errors.As(err, &ne) {
				t.Fatalf("got %v, want a *nar.Error", err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
			if ne.Path != tt.path {
				t.Errorf("error path %q, want %q (%v)", ne.Path, tt.path, err)
			}
			if ne.Offset < 0 || ne.Offset > int64(len(tt.nar)) {
				t.Errorf("error offset %d outside 0..%d", ne.Offset, len(tt.nar))
			}
			if !errors.Is(err, ErrFormat) {
				t.Errorf("error %v does not wrap ErrFormat", err)
			}
		})
	}
}

func TestReaderTruncated(t *testing.T) {
	var nar bytes.Buffer
	if err := DumpFS(&nar, vectorFS, "."); err != nil {
		t.Fatal(err)
	}
	full := nar.Bytes()
	for n := 0; n < len(full); n++ {
		err := readAll(full[:n])
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("prefix of %d bytes: got %v, want io.ErrUnexpectedEOF", n, err)
		}
	}
	if err := readAll(full); err != nil {
		t.Fatalf("full archive: %v", err)
	}
}

func TestReaderErrorOffset(t *testing.T) {
	nar := dirNAR("b", "a")
	err := readAll(nar)
	// The second name string starts after magic(8+16) "("(16) "type"(16)
	// "directory"(24) + entry b (entry 16, ( 16, name 16, b 16, node 16,
	// file node ( type regular contents "" ) = 16*5+8, ) 16) + entry 16 +
	// ( 16 + name 16.
	want := int64(24 + 16 + 16 + 24 + (16*5 + 16*5 + 8 + 16) + 16*3)
	var ne *Error
	if !errors.As(err, &ne) || ne.Offset != want {
		t.Fatalf("got %v, want an error at byte %d", err, want)
	}
	if !strings.Contains(err.Error(), "nar: /a at byte ") {
		t.Errorf("message %q does not name /a and the offset", err)
	}
}

func readAll(nar []byte) error {
	r := NewReader(bytes.NewReader(nar))
	for {
		_, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := io.Copy(io.Discard, r); err != nil {
			return err
		}
	}
}

func TestWriterRejects(t *testing.T) {
	tests := []struct {
		name    string
		headers []Header
		data    string // written after the last header
		wantMsg string
	}{
		{"no root", []Header{{Path: "a", Type: TypeRegular}}, "", `want the root`},
		{"two roots", []Header{{Type: TypeDirectory}, {Type: TypeDirectory}}, "", "second root"},
		{"unsorted", []Header{{Type: TypeDirectory}, {Path: "b", Type: TypeRegular}, {Path: "a", Type: TypeRegular}}, "", "out of order"},
		{"duplicate", []Header{{Type: TypeDirectory}, {Path: "a", Type: TypeDirectory}, {Path: "a", Type: TypeDirectory}}, "", "out of order"},
		{"orphan", []Header{{Type: TypeDirectory}, {Path: "a", Type: TypeRegular}, {Path: "a/b", Type: TypeRegular}}, "", "not an open directory"},
		{"closed parent", []Header{{Type: TypeDirectory}, {Path: "a", Type: TypeDirectory}, {Path: "b", Type: TypeDirectory}, {Path: "a/c", Type: TypeRegular}}, "", "not an open directory"},
		{"bad name", []Header{{Type: TypeDirectory}, {Path: "..", Type: TypeRegular}}, "", "not allowed"},
		{"short contents", []Header{{Type: TypeRegular, Size: 3}}, "ab", "1 bytes of contents missing"},
		{"long contents", []Header{{Type: TypeRegular, Size: 1}}, "ab", "exceeds the file's size"},
		{"empty target", []Header{{Type: TypeSymlink}}, "", "empty symlink target"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := NewWriter(io.Discard)
			var err error
			for i := range tt.headers {
				if err = w.WriteHeader(&tt.headers[i]); err != nil {
					break
				}
			}
			if err == nil && tt.data != "" {
				_, err = w.Write([]byte(tt.data))
			}
			if err == nil {
				err = w.Close()
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("got %v, want an error containing %q", err, tt.wantMsg)
			}
		})
	}
}

func TestDumpUnsupported(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "fifo")
	if err := mkfifo(sock); err != nil {
		t.Skipf("cannot make a fifo: %v", err)
	}
	err := DumpPath(io.Discard, dir)
	if err == nil || !strings.Contains(err.Error(), "unsupported file type") || !strings.Contains(err.Error(), sock) {
		t.Errorf("got %v, want an unsupported file type error naming %s", err, sock)
	}
}
