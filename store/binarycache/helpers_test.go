package binarycache

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/frazil/frazil/store/narinfo"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// narString appends s in NAR's string encoding: a little-endian length,
// the bytes and zero padding to 8 bytes.
func narString(b *bytes.Buffer, s string) {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
	b.Write(n[:])
	b.WriteString(s)
	b.Write(make([]byte, (8-len(s)%8)%8))
}

// fileNAR returns the NAR of a single regular file (the format is given in
// NIXOS.md §5; this is its simplest case, written out by hand so that these
// tests need no NAR package).
func fileNAR(contents string) []byte {
	var b bytes.Buffer
	for _, s := range []string{"nix-archive-1", "(", "type", "regular", "contents"} {
		narString(&b, s)
	}
	narString(&b, contents)
	narString(&b, ")")
	return b.Bytes()
}

// testPath is a store path with its NAR and metadata.
type testPath struct {
	info *narinfo.NarInfo
	nar  []byte
}

// makePath builds a content-addressed path holding one file, referring to
// refs.
func makePath(t testing.TB, name, contents string, refs ...storepath.Path) testPath {
	t.Helper()
	nar := fileNAR(contents)
	h := nixhash.Sum(nixhash.SHA256, nar)
	p, err := storepath.MakeFixedOutput(storepath.Recursive, h, name, refs, false)
	if err != nil {
		t.Fatal(err)
	}
	return testPath{
		info: &narinfo.NarInfo{
			StorePath:  p,
			NarHash:    h,
			NarSize:    uint64(len(nar)),
			References: append([]storepath.Path(nil), refs...),
			CA:         storepath.ContentAddress{Method: storepath.Recursive, Hash: h},
		},
		nar: nar,
	}
}

// memSource is a Source holding paths in memory.
type memSource struct {
	mu    sync.Mutex
	paths map[string]testPath
	dumps int
}

func newMemSource(ps ...testPath) *memSource {
	s := &memSource{paths: map[string]testPath{}}
	for _, p := range ps {
		s.paths[p.info.StorePath.HashPart()] = p
	}
	return s
}

func (s *memSource) LookupHashPart(_ context.Context, hashPart string) (*narinfo.NarInfo, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.paths[hashPart]
	if !ok {
		return nil, fmt.Errorf("%s: %w", hashPart, ErrNotFound)
	}
	ni := *p.info
	ni.References = append([]storepath.Path(nil), p.info.References...)
	return &ni, nil
}

func (s *memSource) DumpPath(_ context.Context, p storepath.Path, w io.Writer) error {
	s.mu.Lock()
	tp, ok := s.paths[p.HashPart()]
	s.dumps++
	s.mu.Unlock()
	if !ok {
		return fmt.Errorf("%s: %w", p, ErrNotFound)
	}
	_, err := w.Write(tp.nar)
	return err
}
