package syntax

// This file defines compact source positions: a Pos is an offset into a
// FileSet, turned into a file name, line and column only when asked.

import (
	"fmt"
	"sort"
	"sync"
)

// Pos is a compact source position: the byte offset of a location within
// its FileSet, plus the file's base. The zero Pos (NoPos) means "no
// position".
type Pos uint32

// NoPos is the zero Pos: no position is known.
const NoPos Pos = 0

// IsValid reports whether p is a real position.
func (p Pos) IsValid() bool { return p != NoPos }

// Position is a human-readable source position. Line and Column count
// from 1; Column counts bytes, as Nix does.
type Position struct {
	File   string
	Line   int
	Column int
}

// IsValid reports whether the position names a line.
func (p Position) IsValid() bool { return p.Line > 0 }

// String formats the position as "file:line:col".
func (p Position) String() string {
	if !p.IsValid() {
		if p.File != "" {
			return p.File
		}
		return "«none»"
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// A File is one source file registered in a FileSet.
type File struct {
	name  string
	base  int   // Pos of the file's first byte
	size  int   // length of the source in bytes
	lines []int // offsets of the first byte of each line
	src   []byte
}

// Name returns the file name given to AddFile.
func (f *File) Name() string { return f.name }

// Base returns the Pos of the file's first byte.
func (f *File) Base() int { return f.base }

// Pos returns the Pos of the byte at offset off.
func (f *File) Pos(off int) Pos { return Pos(f.base + off) }

// Offset returns the byte offset of p within f.
func (f *File) Offset(p Pos) int { return int(p) - f.base }

// Source returns the file's contents.
func (f *File) Source() []byte { return f.src }

// Position converts an offset within the file to a line and column.
func (f *File) position(off int) Position {
	i := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return Position{File: f.name, Line: i + 1, Column: off - f.lines[i] + 1}
}

// Line returns the text of line n (1-based) without its newline, or "" if
// there is no such line.
func (f *File) Line(n int) string {
	if n < 1 || n > len(f.lines) {
		return ""
	}
	start := f.lines[n-1]
	end := len(f.src)
	if n < len(f.lines) {
		end = f.lines[n] - 1
	}
	if end > len(f.src) {
		end = len(f.src)
	}
	if start > end {
		return ""
	}
	s := f.src[start:end]
	if len(s) > 0 && s[len(s)-1] == '\r' {
		s = s[:len(s)-1]
	}
	return string(s)
}

// A FileSet maps compact positions to files. It is safe for concurrent use.
type FileSet struct {
	mu    sync.RWMutex
	base  int
	files []*File
}

// NewFileSet returns an empty file set.
func NewFileSet() *FileSet { return &FileSet{base: 1} }

// AddFile registers a source file and returns it; positions within it are
// valid from then on.
func (s *FileSet) AddFile(name string, src []byte) *File {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := &File{name: name, base: s.base, size: len(src), src: src}
	f.lines = append(f.lines, 0)
	for i, c := range src {
		if c == '\n' {
			f.lines = append(f.lines, i+1)
		} else if c == '\r' && (i+1 >= len(src) || src[i+1] != '\n') {
			// A lone CR ends a line too, as in Nix's lexer.
			f.lines = append(f.lines, i+1)
		}
	}
	s.base += len(src) + 1 // +1 so that the EOF position is distinct
	s.files = append(s.files, f)
	return f
}

// File returns the file holding p, or nil.
func (s *FileSet) File(p Pos) *File {
	if p == NoPos {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	i := sort.Search(len(s.files), func(i int) bool { return s.files[i].base > int(p) }) - 1
	if i < 0 {
		return nil
	}
	f := s.files[i]
	if int(p) > f.base+f.size {
		return nil
	}
	return f
}

// Position converts p to a file, line and column.
func (s *FileSet) Position(p Pos) Position {
	f := s.File(p)
	if f == nil {
		return Position{}
	}
	return f.position(int(p) - f.base)
}
