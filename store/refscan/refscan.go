// Package refscan finds references to store paths in a byte stream.
//
// A store path refers to another when its contents (its NAR) contain the
// other's 32-character hash part. A Scanner is an io.Writer that looks for
// the hash parts of a set of candidate paths in everything written to it, in
// chunks of any size: matches that straddle two writes are found too. Like
// Nix's RefScanSink it checks the candidate window from its last character
// backwards and, at a character outside the nix32 alphabet, skips past it,
// so most of the input is looked at once per 32 bytes.
package refscan

import (
	"sort"

	"github.com/frazil/frazil/store/nixbase32"
	"github.com/frazil/frazil/store/storepath"
)

const hashLen = storepath.DigestLen

// isNix32 is a lookup table for the nix32 alphabet.
var isNix32 [256]bool

func init() {
	for i := 0; i < 256; i++ {
		isNix32[i] = nixbase32.ValidChar(byte(i))
	}
}

// A Scanner records which of its candidate hash parts occur in the data
// written to it.
type Scanner struct {
	want  map[string]bool // hash part -> found
	tail  []byte          // the last hashLen-1 bytes written
	found int
}

// New returns a Scanner looking for the given 32-character hash parts.
func New(hashParts []string) *Scanner {
	s := &Scanner{want: make(map[string]bool, len(hashParts)), tail: make([]byte, 0, 2*hashLen)}
	for _, h := range hashParts {
		if len(h) == hashLen {
			s.want[h] = false
		}
	}
	return s
}

// ForPaths returns a Scanner looking for the hash parts of paths.
func ForPaths(paths []storepath.Path) *Scanner {
	hs := make([]string, len(paths))
	for i, p := range paths {
		hs[i] = p.HashPart()
	}
	return New(hs)
}

// Write scans p. It never fails.
func (s *Scanner) Write(p []byte) (int, error) {
	if s.found == len(s.want) {
		return len(p), nil // nothing left to find
	}
	// A match straddling the boundary lies in tail + the head of p.
	if len(s.tail) > 0 {
		head := p
		if len(head) > hashLen-1 {
			head = head[:hashLen-1]
		}
		s.scan(append(s.tail, head...))
	}
	s.scan(p)
	s.keepTail(p)
	return len(p), nil
}

// keepTail remembers the last hashLen-1 bytes seen.
func (s *Scanner) keepTail(p []byte) {
	if len(p) >= hashLen-1 {
		s.tail = append(s.tail[:0], p[len(p)-(hashLen-1):]...)
		return
	}
	s.tail = append(s.tail, p...)
	if n := len(s.tail); n > hashLen-1 {
		s.tail = append(s.tail[:0], s.tail[n-(hashLen-1):]...)
	}
}

func (s *Scanner) scan(b []byte) {
	for i := 0; i+hashLen <= len(b); {
		j := hashLen - 1
		for j >= 0 && isNix32[b[i+j]] {
			j--
		}
		if j >= 0 {
			i += j + 1 // no window containing b[i+j] can match
			continue
		}
		if found, ok := s.want[string(b[i:i+hashLen])]; ok && !found {
			s.want[string(b[i:i+hashLen])] = true
			s.found++
		}
		i++
	}
}

// Found returns the hash parts seen so far, sorted.
func (s *Scanner) Found() []string {
	var out []string
	for h, ok := range s.want {
		if ok {
			out = append(out, h)
		}
	}
	sort.Strings(out)
	return out
}

// FoundPaths returns those of paths whose hash parts were seen, sorted.
func (s *Scanner) FoundPaths(paths []storepath.Path) []storepath.Path {
	var out []storepath.Path
	for _, p := range paths {
		if s.want[p.HashPart()] {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
