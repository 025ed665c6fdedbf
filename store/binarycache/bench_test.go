package binarycache

import (
	"context"
	"fmt"
	"math/rand"
	"testing"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/signature"
	"github.com/frazil/frazil/store/storepath"
)

// benchPaths returns a chain of n paths of size bytes each, with contents
// that compress about as well as binaries do (random bytes from a small
// alphabet, with repeats).
func benchPaths(b *testing.B, n, size int) []testPath {
	b.Helper()
	rng := rand.New(rand.NewSource(42))
	var out []testPath
	var prev []storepath.Path
	for i := 0; i < n; i++ {
		buf := make([]byte, size)
		for j := 0; j < size; {
			if j > 4096 && rng.Intn(4) == 0 {
				j += copy(buf[j:], buf[j-4096:j-4096+rng.Intn(512)])
				continue
			}
			buf[j] = byte(rng.Intn(64))
			j++
		}
		tp := makeIAPath(b, fmt.Sprintf("bench-%d", i), string(buf), prev...)
		out = append(out, tp)
		prev = []storepath.Path{tp.info.StorePath}
	}
	return out
}

// BenchmarkCopyFromFileCache measures substitution from a local cache into
// a fresh store: narinfo, signature check, decompression, NAR restore,
// hash check, fsync and registration. Bytes are NAR bytes.
func BenchmarkCopyFromFileCache(b *testing.B) {
	fx := benchPaths(b, 8, 2<<20)
	var total int64
	for _, p := range fx {
		total += int64(len(p.nar))
	}
	sk, _ := signature.Generate("bench-1", nil)
	trust := Trust{Keys: signature.TrustedKeys{"bench-1": sk.Public()}}
	roots := []storepath.Path{fx[len(fx)-1].info.StorePath}
	for _, comp := range []string{None, Zstd, XZ} {
		b.Run(comp, func(b *testing.B) {
			c := benchCache(b, comp, sk, fx)
			b.SetBytes(total)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				s, err := store.Open(b.TempDir())
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := CopyFrom(context.Background(), c, s, roots, CopyOptions{Trust: trust}); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				s.Close()
				b.StartTimer()
			}
		})
	}
}

func benchCache(b *testing.B, comp string, sk signature.SecretKey, fx []testPath) *Cache {
	b.Helper()
	c, err := Open("file://" + b.TempDir() + "?compression=" + comp)
	if err != nil {
		b.Fatal(err)
	}
	c.SetSecretKey(&sk)
	c.Init(context.Background())
	s, err := store.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	addAll(b, s, fx...)
	if _, err := CopyTo(context.Background(), s, c, []storepath.Path{fx[len(fx)-1].info.StorePath}, CopyOptions{}); err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkCopyToFileCache measures uploading: NAR dump, compression,
// hashing and the file writes.
func BenchmarkCopyToFileCache(b *testing.B) {
	fx := benchPaths(b, 4, 2<<20)
	var total int64
	for _, p := range fx {
		total += int64(len(p.nar))
	}
	s, err := store.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	addAll(b, s, fx...)
	roots := []storepath.Path{fx[len(fx)-1].info.StorePath}
	for _, comp := range []string{None, Zstd, XZ} {
		b.Run(comp, func(b *testing.B) {
			b.SetBytes(total)
			for i := 0; i < b.N; i++ {
				c, err := Open("file://" + b.TempDir() + "?compression=" + comp)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := CopyTo(context.Background(), s, c, roots, CopyOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
