// Package nar reads and writes Nix ARchives, the serialisation Nix hashes
// to name content-addressed store paths and ships in binary caches.
//
// A NAR is a sequence of length-prefixed strings: each string is a
// little-endian uint64 length, the bytes, and zero padding up to a multiple
// of 8. The strings spell a tree:
//
//	nar   = "nix-archive-1" node
//	node  = "(" "type" ( "regular" ["executable" ""] "contents" DATA
//	                   | "symlink" "target" TARGET
//	                   | "directory" { "entry" "(" "name" NAME "node" node ")" } ) ")"
//
// Directory entries are strictly increasing by byte-wise name, so every tree
// has exactly one NAR. There are no timestamps, owners or permissions other
// than the executable bit.
//
// The package streams in both directions. A [Writer] takes a sequence of
// [Header]s in NAR order (a directory before its entries, entries sorted),
// like archive/tar, so any tree — on disk, in memory, generated — can be
// serialised; [DumpPath] and [DumpFS] drive it from a filesystem. A [Reader]
// parses a NAR into the same sequence of headers, validating everything it
// reads, and [Restore] writes one out to disk.
package nar

import (
	"errors"
	"fmt"
	"strings"
)

// Magic is the string every NAR starts with.
const Magic = "nix-archive-1"

// Limits the reader enforces before reading a field.
const (
	// MaxNameLen is the longest directory entry name (NAME_MAX on Linux).
	MaxNameLen = 255
	// MaxTargetLen is the longest symlink target (PATH_MAX minus the NUL).
	MaxTargetLen = 4095
	// MaxDepth is the deepest directory nesting.
	MaxDepth = 1024
	// maxTokenLen bounds the structural strings ("(", "type", "directory"…).
	maxTokenLen = 16
	// maxContentsLen bounds a regular file's size so that it fits an int64.
	maxContentsLen = 1<<63 - 1
)

// Type is the kind of a node.
type Type uint8

// The node types.
const (
	TypeRegular Type = iota + 1
	TypeDirectory
	TypeSymlink
)

func (t Type) String() string {
	switch t {
	case TypeRegular:
		return "regular"
	case TypeDirectory:
		return "directory"
	case TypeSymlink:
		return "symlink"
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// Header describes one node of the tree.
type Header struct {
	// Path is the node's slash-separated path relative to the root; the
	// root itself is "".
	Path       string
	Type       Type
	Executable bool   // regular files only
	Size       int64  // regular files only: the length of the contents
	LinkTarget string // symlinks only
}

// ErrFormat is wrapped by every error about malformed NAR data.
var ErrFormat = errors.New("malformed NAR")

// Error reports a problem at a position of a NAR: the node it concerns and
// the byte offset into the stream where it was found.
type Error struct {
	Path   string // node path ("" is the root)
	Offset int64  // bytes of the stream consumed before the problem
	Err    error
}

func (e *Error) Error() string {
	return fmt.Sprintf("nar: %s at byte %d: %v", DisplayPath(e.Path), e.Offset, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// DisplayPath formats a node path for messages: "/" for the root, "/a/b"
// otherwise.
func DisplayPath(p string) string { return "/" + p }

// ValidateName checks a directory entry name: not empty, not "." or "..",
// no "/" or NUL, at most MaxNameLen bytes.
func ValidateName(name string) error {
	switch {
	case name == "":
		return fmt.Errorf("empty entry name: %w", ErrFormat)
	case name == "." || name == "..":
		return fmt.Errorf("entry name %q is not allowed: %w", name, ErrFormat)
	case len(name) > MaxNameLen:
		return fmt.Errorf("entry name of %d bytes is longer than %d: %w", len(name), MaxNameLen, ErrFormat)
	case strings.ContainsAny(name, "/\x00"):
		return fmt.Errorf("entry name %q contains '/' or NUL: %w", name, ErrFormat)
	}
	return nil
}

// splitPath returns the parent path and the last name of a non-root path.
func splitPath(p string) (parent, name string) {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i], p[i+1:]
	}
	return "", p
}

// joinPath appends name to a node path.
func joinPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "/" + name
}

// padding returns the number of zero bytes that follow n bytes of a string.
func padding(n uint64) int { return int((8 - n%8) % 8) }
