package nar

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// readerBufSize is the Reader's buffer size.
const readerBufSize = 256 << 10

// A Reader parses a NAR stream into a sequence of headers, in the order a
// Writer takes them. After a regular file's header, its contents can be read
// with Read or WriteTo until io.EOF; unread contents are skipped by the next
// call to Next.
//
// Everything is validated while reading: the structure, entry names (not
// empty, ".", "..", no '/' or NUL, at most MaxNameLen bytes), strict
// ordering of entries, zero padding, field lengths (checked before the field
// is read), and that the stream ends right after the archive. Errors are
// *Error values naming the node and the byte offset, and wrap ErrFormat (or
// io.ErrUnexpectedEOF for truncated input). An error is sticky.
type Reader struct {
	br        *bufio.Reader
	off       int64 // bytes consumed from the stream
	started   bool
	done      bool
	stack     []rframe // open directories
	inFile    bool     // the current node is a regular file whose ")" is unread
	size      int64    // its size
	remaining int64    // its unread contents
	path      string   // path of the current node
	err       error
}

type rframe struct {
	path string
	last string
}

// NewReader returns a Reader parsing the NAR in r. It reads ahead from r.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, readerBufSize)}
}

// Offset returns the number of bytes of the stream consumed so far.
func (r *Reader) Offset() int64 { return r.off }

// Next advances to the next node and returns its header. At the end of the
// archive it returns io.EOF.
func (r *Reader) Next() (*Header, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.done {
		return nil, io.EOF
	}
	h, err := r.next()
	if err != nil {
		if err == io.EOF {
			r.done = true
		} else {
			r.err = err
		}
		return nil, err
	}
	return h, nil
}

func (r *Reader) next() (*Header, error) {
	if !r.started {
		r.started = true
		if err := r.expect(Magic); err != nil {
			return nil, err
		}
		return r.node("")
	}
	if r.inFile {
		if err := r.finishFile(); err != nil {
			return nil, err
		}
		if err := r.closeNode(r.path); err != nil {
			return nil, err
		}
	}
	return r.dirItem()
}

// dirItem reads the next item of the innermost open directory: an entry,
// whose node it returns, or the directory's end, after which it continues
// with the enclosing directory. With no directory open the archive is over.
func (r *Reader) dirItem() (*Header, error) {
	for len(r.stack) > 0 {
		top := &r.stack[len(r.stack)-1]
		tok, err := r.token(top.path)
		if err != nil {
			return nil, err
		}
		switch tok {
		case "entry":
			return r.entry(top)
		case ")":
			r.stack = r.stack[:len(r.stack)-1]
			if err := r.closeNode(top.path); err != nil {
				return nil, err
			}
		default:
			return nil, r.errorf(top.path, "got %q, want \"entry\" or \")\"", tok)
		}
	}
	return nil, r.end()
}

// entry reads `"(" "name" NAME "node"` and the start of the node.
func (r *Reader) entry(dir *rframe) (*Header, error) {
	if err := r.expectAt(dir.path, "("); err != nil {
		return nil, err
	}
	if err := r.expectAt(dir.path, "name"); err != nil {
		return nil, err
	}
	at := r.off
	name, err := r.str(dir.path, MaxNameLen, "entry name")
	if err != nil {
		return nil, err
	}
	if err := ValidateName(name); err != nil {
		return nil, &Error{Path: dir.path, Offset: at, Err: err}
	}
	p := joinPath(dir.path, name)
	if dir.last != "" && name <= dir.last {
		return nil, &Error{Path: p, Offset: at, Err: fmt.Errorf("NAR directory is not sorted (%q after %q): %w", name, dir.last, ErrFormat)}
	}
	dir.last = name
	if err := r.expectAt(p, "node"); err != nil {
		return nil, err
	}
	return r.node(p)
}

// node reads a node's opening up to its contents.
func (r *Reader) node(p string) (*Header, error) {
	r.path = p
	if err := r.expectAt(p, "("); err != nil {
		return nil, err
	}
	if err := r.expectAt(p, "type"); err != nil {
		return nil, err
	}
	tok, err := r.token(p)
	if err != nil {
		return nil, err
	}
	switch tok {
	case "regular":
		return r.regular(p)
	case "symlink":
		if err := r.expectAt(p, "target"); err != nil {
			return nil, err
		}
		at := r.off
		target, err := r.str(p, MaxTargetLen, "symlink target")
		if err != nil {
			return nil, err
		}
		if target == "" || containsNUL(target) {
			return nil, &Error{Path: p, Offset: at, Err: fmt.Errorf("invalid symlink target %q: %w", target, ErrFormat)}
		}
		if err := r.expectAt(p, ")"); err != nil {
			return nil, err
		}
		if err := r.closeNode(p); err != nil {
			return nil, err
		}
		return &Header{Path: p, Type: TypeSymlink, LinkTarget: target}, nil
	case "directory":
		if len(r.stack) >= MaxDepth {
			return nil, r.errorf(p, "directories nested deeper than %d", MaxDepth)
		}
		r.stack = append(r.stack, rframe{path: p})
		return &Header{Path: p, Type: TypeDirectory}, nil
	default:
		return nil, r.errorf(p, "unknown node type %q", tok)
	}
}

func (r *Reader) regular(p string) (*Header, error) {
	h := &Header{Path: p, Type: TypeRegular}
	tok, err := r.token(p)
	if err != nil {
		return nil, err
	}
	if tok == "executable" {
		h.Executable = true
		if err := r.expectAt(p, ""); err != nil {
			return nil, err
		}
		if tok, err = r.token(p); err != nil {
			return nil, err
		}
	}
	if tok != "contents" {
		return nil, r.errorf(p, "got %q, want \"contents\"", tok)
	}
	n, err := r.u64(p)
	if err != nil {
		return nil, err
	}
	if n > maxContentsLen {
		return nil, r.errorf(p, "file size %d is too large", n)
	}
	h.Size = int64(n)
	r.inFile, r.size, r.remaining = true, h.Size, h.Size
	return h, nil
}

// finishFile skips the rest of the current file and reads its padding and
// closing ")".
func (r *Reader) finishFile() error {
	if r.remaining > 0 {
		n, err := r.br.Discard(int(min(r.remaining, 1<<62)))
		r.off += int64(n)
		r.remaining -= int64(n)
		if err != nil {
			return r.readErr(r.path, err)
		}
	}
	r.inFile = false
	if err := r.padding(r.path, uint64(r.size)); err != nil {
		return err
	}
	return r.expectAt(r.path, ")")
}

// closeNode reads the ")" that ends the entry holding node p, if p is not
// the root.
func (r *Reader) closeNode(p string) error {
	if p == "" {
		return nil
	}
	return r.expectAt(p, ")")
}

// end checks that nothing follows the archive.
func (r *Reader) end() error {
	if _, err := r.br.Peek(1); err == nil {
		return r.errorf("", "trailing data after the end of the archive")
	} else if err != io.EOF {
		return &Error{Offset: r.off, Err: err}
	}
	return io.EOF
}

// Read reads contents of the current regular file.
func (r *Reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if !r.inFile || r.remaining == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.remaining {
		p = p[:r.remaining]
	}
	n, err := r.br.Read(p)
	r.off += int64(n)
	r.remaining -= int64(n)
	if err != nil {
		r.err = r.readErr(r.path, err)
		return n, r.err
	}
	return n, nil
}

// WriteTo writes the rest of the current file's contents to w straight
// from the Reader's buffer.
func (r *Reader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for r.err == nil && r.inFile && r.remaining > 0 {
		b, err := r.br.Peek(int(min(r.remaining, int64(r.br.Size()))))
		if len(b) == 0 && err != nil {
			r.err = r.readErr(r.path, err)
			return total, r.err
		}
		n, werr := w.Write(b)
		r.br.Discard(n)
		r.off += int64(n)
		r.remaining -= int64(n)
		total += int64(n)
		if werr != nil {
			return total, werr
		}
	}
	return total, r.err
}

// token reads a structural string.
func (r *Reader) token(p string) (string, error) {
	return r.str(p, maxTokenLen, "token")
}

func (r *Reader) expect(tok string) error { return r.expectAt("", tok) }

func (r *Reader) expectAt(p, want string) error {
	at := r.off
	got, err := r.token(p)
	if err != nil {
		return err
	}
	if got != want {
		return &Error{Path: p, Offset: at, Err: fmt.Errorf("got %q, want %q: %w", got, want, ErrFormat)}
	}
	return nil
}

// str reads a string of at most limit bytes; what names it in messages.
func (r *Reader) str(p string, limit int, what string) (string, error) {
	at := r.off
	n, err := r.u64(p)
	if err != nil {
		return "", err
	}
	if n > uint64(limit) {
		return "", &Error{Path: p, Offset: at, Err: fmt.Errorf("%s length %d exceeds the limit of %d: %w", what, n, limit, ErrFormat)}
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r.br, b); err != nil {
		return "", r.readErr(p, err)
	}
	r.off += int64(n)
	if err := r.padding(p, n); err != nil {
		return "", err
	}
	return string(b), nil
}

func (r *Reader) u64(p string) (uint64, error) {
	var b [8]byte
	if _, err := io.ReadFull(r.br, b[:]); err != nil {
		return 0, r.readErr(p, err)
	}
	r.off += 8
	return binary.LittleEndian.Uint64(b[:]), nil
}

func (r *Reader) padding(p string, n uint64) error {
	k := padding(n)
	if k == 0 {
		return nil
	}
	var b [8]byte
	if _, err := io.ReadFull(r.br, b[:k]); err != nil {
		return r.readErr(p, err)
	}
	for _, c := range b[:k] {
		if c != 0 {
			return r.errorf(p, "non-zero padding")
		}
	}
	r.off += int64(k)
	return nil
}

// readErr turns a read failure into an *Error; running out of input is
// io.ErrUnexpectedEOF.
func (r *Reader) readErr(p string, err error) error {
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("truncated archive: %w", io.ErrUnexpectedEOF)
	}
	return &Error{Path: p, Offset: r.off, Err: err}
}

func (r *Reader) errorf(p, format string, args ...any) error {
	return &Error{Path: p, Offset: r.off, Err: fmt.Errorf(format+": %w", append(args, ErrFormat)...)}
}

func containsNUL(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return true
		}
	}
	return false
}
