package kernel

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

const arMagic = "!<arch>\n"

// ArMember is one file of an ar archive.
type ArMember struct {
	Name string
	Size int64
}

// ArReader reads the members of a common (System V / GNU) ar archive, the
// container of .deb files.
type ArReader struct {
	r      *bufio.Reader
	remain int64 // unread bytes of the current member, plus its padding
}

// NewArReader checks the archive's magic.
func NewArReader(r io.Reader) (*ArReader, error) {
	br := bufio.NewReader(r)
	magic := make([]byte, len(arMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != arMagic {
		return nil, errors.New("ar: not an ar archive")
	}
	return &ArReader{r: br}, nil
}

// Next skips to the next member; it returns io.EOF at the end.
func (a *ArReader) Next() (*ArMember, error) {
	if _, err := io.CopyN(io.Discard, a.r, a.remain); err != nil {
		return nil, fmt.Errorf("ar: %w", err)
	}
	var hdr [60]byte
	n, err := io.ReadFull(a.r, hdr[:])
	if err == io.EOF || (err == io.ErrUnexpectedEOF && n == 1 && hdr[0] == '\n') {
		return nil, io.EOF
	}
	if err != nil {
		return nil, fmt.Errorf("ar: header: %w", err)
	}
	if string(hdr[58:60]) != "`\n" {
		return nil, fmt.Errorf("ar: bad header %q", hdr[:])
	}
	name := strings.TrimRight(string(hdr[0:16]), " ")
	name = strings.TrimSuffix(name, "/") // GNU style
	size, err := strconv.ParseInt(strings.TrimSpace(string(hdr[48:58])), 10, 64)
	if err != nil || size < 0 {
		return nil, fmt.Errorf("ar: member %q: bad size %q", name, hdr[48:58])
	}
	a.remain = size + size%2
	return &ArMember{Name: name, Size: size}, nil
}

// readMember reads the current member's data (and, past its size, its
// padding byte, which Open's limit never asks for).
func (a *ArReader) readMember(p []byte) (int, error) {
	if a.remain <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > a.remain {
		p = p[:a.remain]
	}
	n, err := a.r.Read(p)
	a.remain -= int64(n)
	return n, err
}

// Open returns a reader over exactly the current member's data.
func (a *ArReader) Open(m *ArMember) io.Reader {
	return io.LimitReader(readerFunc(a.readMember), m.Size)
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }
