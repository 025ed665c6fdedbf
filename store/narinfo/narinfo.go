// Package narinfo reads and writes the two text formats of a Nix binary
// cache: the per-path ".narinfo" file and the cache-wide "nix-cache-info".
//
// A narinfo describes one store path held by a cache: where its (possibly
// compressed) NAR lives relative to the cache root, the hashes and sizes of
// the compressed file and of the NAR itself, the path's references, deriver,
// signatures and content address. It is a list of "Key: value" lines;
// Write prints the keys in the order Nix does, so a narinfo written here is
// byte-identical to the one `nix copy --to file://…` writes for the same
// path. Parse accepts what Nix accepts: hashes in any prefixed encoding
// (base 16, nix32, base 64 or SRI), unknown keys ignored, and it requires
// StorePath, NarHash, URL and a non-zero NarSize.
//
// Signatures are made over a fingerprint of the path's metadata (see
// Fingerprint), not over the narinfo text, so the URL, compression and file
// hash can change without invalidating them.
package narinfo

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// MIMEType is the content type binary caches serve narinfo files with.
const MIMEType = "text/x-nix-narinfo"

// UnknownDeriver is what a Deriver line holds when the deriver is not known.
const UnknownDeriver = "unknown-deriver"

// NarInfo is the parsed form of a ".narinfo" file.
type NarInfo struct {
	StorePath   storepath.Path
	URL         string       // the NAR file, relative to the cache root
	Compression string       // "none", "xz", "zstd", "bzip2", …; Parse sets "bzip2" when absent
	FileHash    nixhash.Hash // hash of the file at URL; zero if unknown
	FileSize    uint64       // size of the file at URL; 0 if unknown
	NarHash     nixhash.Hash // hash of the uncompressed NAR
	NarSize     uint64
	References  []storepath.Path // full paths, sorted on Write
	Deriver     storepath.Path   // "" if unknown
	Sigs        []string         // "keyname:base64", sorted and deduplicated on Write
	CA          storepath.ContentAddress
}

// CorruptError reports a narinfo that cannot be parsed. It prints as Nix
// does: "NAR info file 'x' is corrupt: reason at line N".
type CorruptError struct {
	Whence string // the file or URL the text came from
	Reason string
	Line   int // 1-based; 0 when the problem is not on one line
}

func (e *CorruptError) Error() string {
	s := fmt.Sprintf("NAR info file '%s' is corrupt: %s", e.Whence, e.Reason)
	if e.Line > 0 {
		s += " at line " + strconv.Itoa(e.Line)
	}
	return s
}

// Parse parses the text of a narinfo. whence names it in errors (a file
// name or URL).
func Parse(data []byte, whence string) (*NarInfo, error) {
	p := parser{whence: whence, ni: &NarInfo{}}
	rest := data
	for len(rest) > 0 {
		p.line++
		eol := bytes.IndexByte(rest, '\n')
		if eol < 0 {
			return nil, p.corrupt("expecting '\\n'")
		}
		line := string(rest[:eol])
		rest = rest[eol+1:]
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, p.corrupt("expecting ':'")
		}
		if value != "" && value[0] != ' ' {
			return nil, p.corrupt("expecting ': ' after '" + key + "'")
		}
		if value != "" {
			value = value[1:]
		}
		if err := p.field(key, value); err != nil {
			return nil, err
		}
	}
	return p.finish()
}

type parser struct {
	whence                     string
	ni                         *NarInfo
	line                       int
	havePath, haveHash, haveCA bool
}

func (p *parser) corrupt(reason string) error {
	return &CorruptError{Whence: p.whence, Reason: reason, Line: p.line}
}

// field stores one "key: value" line.
func (p *parser) field(key, value string) error {
	ni := p.ni
	var err error
	switch key {
	case "StorePath":
		ni.StorePath, err = storepath.Parse(value)
		if err != nil {
			return p.corrupt("invalid StorePath '" + value + "'")
		}
		p.havePath = true
	case "URL":
		ni.URL = value
	case "Compression":
		ni.Compression = value
	case "FileHash":
		ni.FileHash, err = p.hash(value)
	case "FileSize":
		ni.FileSize, err = p.size("FileSize", value)
	case "NarHash":
		ni.NarHash, err = p.hash(value)
		p.haveHash = true
	case "NarSize":
		ni.NarSize, err = p.size("NarSize", value)
	case "References":
		err = p.references(value)
	case "Deriver":
		err = p.deriver(value)
	case "Sig":
		if value != "" {
			ni.Sigs = append(ni.Sigs, value)
		}
	case "CA":
		if p.haveCA {
			return p.corrupt("extra CA")
		}
		p.haveCA = true
		ni.CA, err = storepath.ParseContentAddress(value)
		if err != nil {
			return p.corrupt("invalid CA '" + value + "'")
		}
	}
	return err
}

func (p *parser) hash(value string) (nixhash.Hash, error) {
	h, err := nixhash.Parse(value, 0)
	if err != nil {
		return nixhash.Hash{}, p.corrupt("bad hash")
	}
	return h, nil
}

func (p *parser) size(key, value string) (uint64, error) {
	n, err := strconv.ParseUint(value, 10, 64)
	if err != nil {
		return 0, p.corrupt("invalid " + key)
	}
	return n, nil
}

func (p *parser) references(value string) error {
	if len(p.ni.References) > 0 {
		return p.corrupt("extra References")
	}
	for _, base := range strings.Fields(value) {
		r, err := storepath.FromBase(base)
		if err != nil {
			return p.corrupt("invalid reference '" + base + "'")
		}
		p.ni.References = append(p.ni.References, r)
	}
	return nil
}

func (p *parser) deriver(value string) error {
	if value == UnknownDeriver || value == "" {
		p.ni.Deriver = ""
		return nil
	}
	d, err := storepath.FromBase(value)
	if err != nil {
		return p.corrupt("invalid Deriver '" + value + "'")
	}
	p.ni.Deriver = d
	return nil
}

// finish checks the required fields, the way Nix does, without a line number.
func (p *parser) finish() (*NarInfo, error) {
	p.line = 0
	ni := p.ni
	switch {
	case !p.havePath:
		return nil, p.corrupt("StorePath missing")
	case !p.haveHash:
		return nil, p.corrupt("NarHash missing")
	case ni.URL == "":
		return nil, p.corrupt("URL missing")
	case ni.NarSize == 0:
		return nil, p.corrupt("NarSize missing or zero")
	}
	if ni.Compression == "" {
		ni.Compression = "bzip2"
	}
	ni.References = sortedUniquePaths(ni.References)
	return ni, nil
}

// Bytes returns the narinfo text, with keys in Nix's order. FileHash and
// FileSize are omitted when FileHash is unknown (as for NARs compressed
// while they are served); everything else required must be set.
func (ni *NarInfo) Bytes() []byte {
	var b bytes.Buffer
	line := func(k, v string) { b.WriteString(k + ": " + v + "\n") }
	line("StorePath", string(ni.StorePath))
	line("URL", ni.URL)
	comp := ni.Compression
	if comp == "" {
		comp = "none"
	}
	line("Compression", comp)
	if !ni.FileHash.IsZero() {
		line("FileHash", ni.FileHash.String())
		line("FileSize", strconv.FormatUint(ni.FileSize, 10))
	}
	line("NarHash", ni.NarHash.String())
	line("NarSize", strconv.FormatUint(ni.NarSize, 10))
	line("References", strings.Join(bases(ni.References), " "))
	if ni.Deriver != "" {
		line("Deriver", ni.Deriver.Base())
	}
	for _, s := range sortedUnique(ni.Sigs) {
		line("Sig", s)
	}
	if ca := ni.CA.String(); ca != "" {
		line("CA", ca)
	}
	return b.Bytes()
}

// String returns the narinfo text.
func (ni *NarInfo) String() string { return string(ni.Bytes()) }

// Fingerprint returns the string the path's signatures sign.
func (ni *NarInfo) Fingerprint() (string, error) {
	return Fingerprint(ni.StorePath, ni.NarHash, ni.NarSize, ni.References)
}

// Fingerprint returns the text Nix signs for a path:
//
//	1;<path>;sha256:<nix32 NAR hash>;<NAR size>;<sorted references, comma-separated>
//
// The NAR hash must be sha256, as Nix requires.
func Fingerprint(p storepath.Path, narHash nixhash.Hash, narSize uint64, refs []storepath.Path) (string, error) {
	if narHash.Algo != nixhash.SHA256 || len(narHash.Digest) != nixhash.SHA256.Size() {
		return "", fmt.Errorf("fingerprint of %s: NAR hash is not SHA-256", p)
	}
	sorted := make([]string, len(refs))
	for i, r := range refs {
		sorted[i] = string(r)
	}
	sort.Strings(sorted)
	return "1;" + string(p) + ";" + narHash.String() + ";" + strconv.FormatUint(narSize, 10) + ";" +
		strings.Join(sorted, ","), nil
}

func bases(ps []storepath.Path) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Base()
	}
	sort.Strings(out)
	return out
}

func sortedUniquePaths(ps []storepath.Path) []storepath.Path {
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
	n := 0
	for i, p := range ps {
		if i == 0 || p != ps[n-1] {
			ps[n] = p
			n++
		}
	}
	return ps[:n]
}

func sortedUnique(ss []string) []string {
	out := append([]string(nil), ss...)
	sort.Strings(out)
	n := 0
	for i, s := range out {
		if i == 0 || s != out[n-1] {
			out[n] = s
			n++
		}
	}
	return out[:n]
}
