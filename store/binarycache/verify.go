package binarycache

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"

	"github.com/frazil/frazil/store/narinfo"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/signature"
	"github.com/frazil/frazil/store/storepath"
)

// ErrUntrusted is wrapped by errors for paths that are neither signed by a
// trusted key nor content-addressed.
var ErrUntrusted = errors.New("lacks a valid signature")

// Trust says which paths from a cache may be imported.
type Trust struct {
	// Keys are the trusted public keys (Nix's trusted-public-keys).
	Keys signature.TrustedKeys
	// NoCheckSigs imports paths without checking signatures
	// (--no-check-sigs). NAR hashes and sizes are still checked.
	NoCheckSigs bool
}

// check decides whether ni may be imported. A path is trusted when one of
// its signatures is by a trusted key, or when its content address
// computes its store path (the NAR is then checked against the content
// address as it streams; see caCheck).
func (t Trust) check(ni *narinfo.NarInfo, whence string) error {
	if ni.NarHash.Algo != nixhash.SHA256 {
		return fmt.Errorf("path '%s' from '%s': NAR hash is %s, want sha256", ni.StorePath, whence, ni.NarHash.Algo)
	}
	if t.NoCheckSigs {
		return nil
	}
	fp, err := ni.Fingerprint()
	if err != nil {
		return err
	}
	_, sigErr := t.Keys.Verify(fp, ni.Sigs)
	if sigErr == nil {
		return nil
	}
	if caErr := checkCAPath(ni); caErr == nil {
		return nil
	}
	reason := strings.TrimSuffix(sigErr.Error(), ": "+signature.ErrUntrusted.Error())
	return fmt.Errorf("path '%s' from '%s' %w: %s", ni.StorePath, whence, ErrUntrusted, reason)
}

// checkCAPath reports whether ni's content address, name and references
// give its store path.
func checkCAPath(ni *narinfo.NarInfo) error {
	if ni.CA.Hash.IsZero() {
		return errors.New("not content-addressed")
	}
	var refs []storepath.Path
	self := false
	for _, r := range ni.References {
		if r == ni.StorePath {
			self = true
		} else {
			refs = append(refs, r)
		}
	}
	p, err := ni.CA.Path(ni.StorePath.Name(), refs, self)
	if err != nil {
		return err
	}
	if p != ni.StorePath {
		return fmt.Errorf("content address %s gives %s", ni.CA, p)
	}
	return nil
}

// caCheck returns, for a path trusted through its content address rather
// than a signature, a writer that receives the NAR and a function checking
// it against the content address at the end. For paths with a trusted
// signature it returns nil, nil: the NAR hash the store checks suffices.
func (t Trust) caCheck(ni *narinfo.NarInfo) (io.Writer, func() error) {
	if t.NoCheckSigs || ni.CA.Hash.IsZero() {
		return nil, nil
	}
	if fp, err := ni.Fingerprint(); err == nil {
		if _, err := t.Keys.Verify(fp, ni.Sigs); err == nil {
			return nil, nil
		}
	}
	want := ni.CA.Hash
	if ni.CA.Method == storepath.Recursive {
		// The content address is a hash of the NAR itself.
		h := want.Algo.New()
		return h, func() error { return compareHash(ni, want, h) }
	}
	// Text and flat: a hash of the single file's contents.
	fh := &fileContentHasher{h: want.Algo.New()}
	return fh, func() error {
		if fh.err != nil {
			return fmt.Errorf("path '%s': %w", ni.StorePath, fh.err)
		}
		if !fh.complete() {
			return fmt.Errorf("path '%s': NAR is not a single regular file, as its content address needs", ni.StorePath)
		}
		return compareHash(ni, want, fh.h)
	}
}

func compareHash(ni *narinfo.NarInfo, want nixhash.Hash, h hash.Hash) error {
	got := nixhash.Hash{Algo: want.Algo, Digest: h.Sum(nil)}
	if !got.Equal(want) {
		return fmt.Errorf("path '%s': contents hash to %s, but its content address says %s", ni.StorePath, got, want)
	}
	return nil
}

// fileContentHasher is fed the NAR of a single regular file and hashes the
// file's contents. The NAR of a regular file starts with a fixed header
// (with or without the executable marker), then the contents' length and
// the contents.
type fileContentHasher struct {
	h      hash.Hash
	header []byte // bytes seen up to and including the length
	left   uint64 // contents bytes still to hash, once the header is read
	body   bool   // the header has been read
	err    error
}

var (
	narRegularHeader = narStrings("nix-archive-1", "(", "type", "regular", "contents")
	narExecHeader    = narStrings("nix-archive-1", "(", "type", "regular", "executable", "", "contents")
)

func narStrings(ss ...string) []byte {
	var b bytes.Buffer
	for _, s := range ss {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		b.Write(n[:])
		b.WriteString(s)
		b.Write(make([]byte, (8-len(s)%8)%8))
	}
	return b.Bytes()
}

func (f *fileContentHasher) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 && f.err == nil {
		if !f.body {
			p = f.readHeader(p)
			continue
		}
		take := uint64(len(p))
		if take > f.left {
			take = f.left
		}
		f.h.Write(p[:take])
		f.left -= take
		p = nil // the rest is padding and the closing ")", which the store checks
	}
	return n, nil
}

// readHeader consumes header bytes from p and returns the rest.
func (f *fileContentHasher) readHeader(p []byte) []byte {
	need := len(narExecHeader) + 8
	for len(p) > 0 && len(f.header) < need {
		f.header = append(f.header, p[0])
		p = p[1:]
		for _, hdr := range [][]byte{narRegularHeader, narExecHeader} {
			if len(f.header) == len(hdr)+8 && bytes.Equal(f.header[:len(hdr)], hdr) {
				f.left = binary.LittleEndian.Uint64(f.header[len(hdr):])
				f.body = true
				return p
			}
		}
	}
	if len(f.header) >= need {
		f.err = errors.New("NAR is not a single regular file")
	}
	return p
}

func (f *fileContentHasher) complete() bool { return f.body && f.left == 0 && f.err == nil }

// holdback passes a stream through but keeps its last byte back until the
// stream has ended and final has approved it. A consumer that needs the
// whole stream (a NAR parser needs the closing bytes) can therefore not
// finish — and a store cannot register a path — before every check on the
// whole download has passed.
type holdback struct {
	r       io.Reader
	final   func() error
	buf     []byte
	pending []byte
	done    bool
	err     error
}

func newHoldback(r io.Reader, final func() error) *holdback {
	return &holdback{r: r, final: final, buf: make([]byte, 64<<10)}
}

func (h *holdback) Read(p []byte) (int, error) {
	for {
		avail := len(h.pending)
		if !h.done {
			avail-- // the held-back byte
		}
		if avail > 0 {
			n := copy(p, h.pending[:avail])
			h.pending = h.pending[n:]
			return n, nil
		}
		if h.err != nil {
			return 0, h.err
		}
		if h.done {
			return 0, io.EOF
		}
		k := copy(h.buf, h.pending)
		m, err := h.r.Read(h.buf[k:])
		h.pending = h.buf[:k+m]
		switch {
		case err == io.EOF:
			if ferr := h.final(); ferr != nil {
				h.err, h.pending = ferr, nil
			}
			h.done = true
		case err != nil:
			h.err, h.pending = err, nil
		}
	}
}
