package nar

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// writerBufSize is the Writer's buffer: large enough that tokens and small
// files coalesce into few writes.
const writerBufSize = 256 << 10

// A Writer serialises a tree given as a sequence of headers in NAR order:
// the root first, a directory before its entries, entries of a directory in
// strictly increasing byte order, each entry's subtree complete before its
// next sibling. After the header of a regular file, exactly Size bytes of
// contents are written with Write or ReadFrom. Close finishes the archive.
//
// The Writer checks the order and sizes and reports a misuse as an error; it
// never emits an archive that a Reader would reject.
type Writer struct {
	bw        *bufio.Writer
	dst       io.Writer
	started   bool
	closed    bool
	stack     []wframe // open directories
	open      bool     // a node (file or symlink) awaits its closing ")"
	size      int64    // size of the open regular file
	remaining int64    // contents still to write for the open regular file
	path      string   // path of the open node
	err       error
}

type wframe struct {
	path string
	last string // name of the last entry written, "" before the first
}

// NewWriter returns a Writer that writes a NAR to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{bw: bufio.NewWriterSize(w, writerBufSize), dst: w}
}

var errClosed = errors.New("nar: write to a closed Writer")

// WriteHeader starts the node h. It closes the previous node and every open
// directory that h is not inside.
func (w *Writer) WriteHeader(h *Header) error {
	if w.err != nil {
		return w.err
	}
	if err := w.writeHeader(h); err != nil {
		w.err = err
		return err
	}
	return nil
}

func (w *Writer) writeHeader(h *Header) error {
	if w.closed {
		return errClosed
	}
	if err := w.finishNode(); err != nil {
		return err
	}
	if !w.started {
		if h.Path != "" {
			return fmt.Errorf("nar: first header is %q, want the root \"\"", h.Path)
		}
		w.started = true
		w.str(Magic)
		return w.startNode(h)
	}
	if h.Path == "" {
		return fmt.Errorf("nar: second root header")
	}
	parent, name := splitPath(h.Path)
	if err := ValidateName(name); err != nil {
		return fmt.Errorf("nar: header %q: %w", h.Path, err)
	}
	for len(w.stack) > 0 && w.stack[len(w.stack)-1].path != parent {
		w.closeDir()
	}
	if len(w.stack) == 0 {
		return fmt.Errorf("nar: header %q: parent %q is not an open directory", h.Path, DisplayPath(parent))
	}
	top := &w.stack[len(w.stack)-1]
	if top.last != "" && name <= top.last {
		return fmt.Errorf("nar: header %q: entries out of order (%q after %q)", h.Path, name, top.last)
	}
	top.last = name
	w.str("entry")
	w.str("(")
	w.str("name")
	w.str(name)
	w.str("node")
	return w.startNode(h)
}

// startNode writes the opening of a node up to its contents.
func (w *Writer) startNode(h *Header) error {
	w.str("(")
	w.str("type")
	w.path, w.size = h.Path, 0
	switch h.Type {
	case TypeRegular:
		if h.Size < 0 {
			return fmt.Errorf("nar: header %q: negative size %d", h.Path, h.Size)
		}
		w.str("regular")
		if h.Executable {
			w.str("executable")
			w.str("")
		}
		w.str("contents")
		w.u64(uint64(h.Size))
		w.size, w.remaining = h.Size, h.Size
	case TypeSymlink:
		if h.LinkTarget == "" {
			return fmt.Errorf("nar: header %q: empty symlink target", h.Path)
		}
		w.str("symlink")
		w.str("target")
		w.str(h.LinkTarget)
	case TypeDirectory:
		w.str("directory")
		w.stack = append(w.stack, wframe{path: h.Path})
		return nil
	default:
		return fmt.Errorf("nar: header %q: unknown type %v", h.Path, h.Type)
	}
	w.open = true
	return nil
}

// finishNode closes the open file or symlink, if any.
func (w *Writer) finishNode() error {
	if !w.open {
		return nil
	}
	if w.remaining != 0 {
		return fmt.Errorf("nar: %s: %d bytes of contents missing", DisplayPath(w.path), w.remaining)
	}
	w.open = false
	w.pad(w.size)
	w.str(")")
	if w.path != "" {
		w.str(")") // the entry holding the node
	}
	return nil
}

// closeDir closes the innermost open directory and the entry holding it.
func (w *Writer) closeDir() {
	top := w.stack[len(w.stack)-1]
	w.stack = w.stack[:len(w.stack)-1]
	w.str(")")
	if top.path != "" {
		w.str(")")
	}
}

// Write writes contents of the current regular file.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if !w.open || int64(len(p)) > w.remaining {
		w.err = fmt.Errorf("nar: write of %d bytes exceeds the file's size", len(p))
		return 0, w.err
	}
	n, err := w.bw.Write(p)
	w.remaining -= int64(n)
	if err != nil {
		w.err = err
	}
	return n, err
}

// ReadFrom copies the rest of the current regular file's contents from r,
// which must supply exactly that many bytes. When the destination is an
// *os.File the copy may happen in the kernel.
func (w *Writer) ReadFrom(r io.Reader) (int64, error) {
	if w.err != nil {
		return 0, w.err
	}
	want := w.remaining
	var n int64
	var err error
	if _, ok := w.dst.(*os.File); ok && want >= writerBufSize {
		if err = w.bw.Flush(); err == nil {
			n, err = io.Copy(w.dst, io.LimitReader(r, want))
		}
	} else {
		n, err = w.bw.ReadFrom(io.LimitReader(r, want))
	}
	w.remaining -= n
	if err == nil && w.remaining != 0 {
		err = fmt.Errorf("nar: %s: contents ended %d bytes short", DisplayPath(w.path), w.remaining)
	}
	if err != nil {
		w.err = err
	}
	return n, err
}

// Close finishes the archive and flushes it. It does not close the
// underlying writer.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return nil
	}
	if !w.started {
		w.err = errors.New("nar: empty archive")
		return w.err
	}
	if err := w.finishNode(); err != nil {
		w.err = err
		return err
	}
	for len(w.stack) > 0 {
		w.closeDir()
	}
	w.closed = true
	if err := w.bw.Flush(); err != nil {
		w.err = err
		return err
	}
	return nil
}

var zeros [8]byte

func (w *Writer) u64(n uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], n)
	w.bw.Write(b[:])
}

func (w *Writer) str(s string) {
	w.u64(uint64(len(s)))
	w.bw.WriteString(s)
	w.bw.Write(zeros[:padding(uint64(len(s)))])
}

func (w *Writer) pad(n int64) { w.bw.Write(zeros[:padding(uint64(n))]) }
