package store

import (
	"fmt"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// syntheticDAG records n paths directly in the database: path i refers to
// path i-1 (a chain through everything) and to up to three earlier paths,
// like a package set's dependency graph.
func syntheticDAG(b *testing.B, s *Store, n int) []storepath.Path {
	b.Helper()
	ps := make([]storepath.Path, n)
	for i := range ps {
		ps[i] = storepath.Make("x", []byte(fmt.Sprint(i)), fmt.Sprintf("p%d", i))
	}
	h := nixhash.Sum(nixhash.SHA256, nil)
	err := s.update(func(tx *bolt.Tx) error {
		for i, p := range ps {
			var refs []storepath.Path
			if i > 0 {
				refs = append(refs, ps[i-1])
			}
			for k := 1; k <= 3 && i > 0; k++ {
				refs = append(refs, ps[(i*7919*k)%i])
			}
			info := &PathInfo{Path: p, NarHash: h, NarSize: 8, References: uniqueSorted(refs), RegistrationTime: time.Unix(1, 0)}
			if err := putPath(tx, info); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return ps
}

// BenchmarkClosure10k computes the closure of the top of a 10,000-path DAG
// (every path is in it).
func BenchmarkClosure10k(b *testing.B) {
	s := openStore(b)
	ps := syntheticDAG(b, s, 10000)
	top := []storepath.Path{ps[len(ps)-1]}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cl, err := s.Closure(top)
		if err != nil || len(cl) != len(ps) {
			b.Fatalf("closure: %d paths, %v", len(cl), err)
		}
	}
}

// BenchmarkTopoSort10k orders the same 10,000 paths.
func BenchmarkTopoSort10k(b *testing.B) {
	s := openStore(b)
	ps := syntheticDAG(b, s, 10000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.TopoSort(ps); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIsValid measures one query, database open included.
func BenchmarkIsValid(b *testing.B) {
	s := openStore(b)
	ps := syntheticDAG(b, s, 100)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if ok, err := s.IsValid(ps[i%len(ps)]); !ok || err != nil {
			b.Fatal(ok, err)
		}
	}
}

// BenchmarkAddText measures a small add, syncs and commit included.
func BenchmarkAddText(b *testing.B) {
	s := openStore(b)
	for i := 0; i < b.N; i++ {
		if _, err := s.AddText("t", []byte(fmt.Sprint("contents ", i)), nil); err != nil {
			b.Fatal(err)
		}
	}
}
