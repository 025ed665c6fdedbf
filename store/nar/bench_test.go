package nar

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/frazil/frazil/store/internal/testtree"
)

// benchTree makes a tree of about 20 MB: many small files and a few large.
func benchTree(b *testing.B) (string, int64) {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "tree")
	if err := testtree.Generate(dir, testtree.Options{Seed: 7, Entries: 2000, MaxFile: 20 << 10, Large: true}); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		if err := os.WriteFile(filepath.Join(dir, "big"+string(rune('0'+i))), bytes.Repeat([]byte{byte(i)}, 4<<20), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	n, err := io.Copy(io.Discard, narReader(b, dir))
	if err != nil {
		b.Fatal(err)
	}
	return dir, n
}

func narReader(b *testing.B, dir string) io.Reader {
	var buf bytes.Buffer
	if err := DumpPath(&buf, dir); err != nil {
		b.Fatal(err)
	}
	return &buf
}

// BenchmarkDumpPath serialises a tree into a file (the CLI's case:
// stdout redirected).
func BenchmarkDumpPath(b *testing.B) {
	dir, size := benchTree(b)
	out, err := os.Create(filepath.Join(b.TempDir(), "out.nar"))
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out.Seek(0, 0)
		if err := DumpPath(out, dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDumpHash serialises a tree into a hasher-like writer that is
// not a file (the store's case when hashing).
func BenchmarkDumpDiscard(b *testing.B) {
	dir, size := benchTree(b)
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := DumpPath(struct{ io.Writer }{io.Discard}, dir); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRestore(b *testing.B) {
	dir, size := benchTree(b)
	nar := narReader(b, dir).(*bytes.Buffer).Bytes()
	tmp := b.TempDir()
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dst := filepath.Join(tmp, "r")
		if err := Restore(dst, bytes.NewReader(nar)); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		os.RemoveAll(dst)
		b.StartTimer()
	}
}
