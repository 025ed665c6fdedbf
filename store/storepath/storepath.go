// Package storepath computes, parses and validates Nix store paths.
//
// A store path is Dir + "/" + digest + "-" + name, where digest is the nix32
// encoding of a 160-bit XOR-fold of
//
//	sha256(type + ":sha256:" + hex(inner) + ":" + Dir + ":" + name)
//
// and type says how the path was made: "text[:ref…]" for text files such as
// .drv files, "source[:ref…][:self]" for NAR-hashed content, "output:NAME"
// for input-addressed derivation outputs and "output:out" for other
// content-addressed outputs.
package storepath

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/frazil/frazil/store/nixbase32"
	"github.com/frazil/frazil/store/nixhash"
)

// Dir is the store directory every path lives in. Stores rooted elsewhere
// (like nix --store DIR) keep this logical directory and prefix it on disk.
const Dir = "/nix/store"

// DigestLen is the length of the nix32 digest part of a base name.
const DigestLen = 32

// MaxNameLen is the longest name Nix accepts.
const MaxNameLen = 211

// Path is an absolute store path such as "/nix/store/<digest>-hello".
type Path string

// ErrInvalid is wrapped by every validation error of this package.
var ErrInvalid = errors.New("invalid store path")

// Parse validates s as an absolute store path under Dir.
func Parse(s string) (Path, error) {
	base, ok := strings.CutPrefix(s, Dir+"/")
	if !ok {
		return "", fmt.Errorf("path '%s' is not in the Nix store: %w", s, ErrInvalid)
	}
	if err := ValidateBase(base); err != nil {
		return "", fmt.Errorf("path '%s': %w", s, err)
	}
	return Path(s), nil
}

// FromBase validates a base name ("<digest>-name") and returns its path.
func FromBase(base string) (Path, error) {
	if err := ValidateBase(base); err != nil {
		return "", err
	}
	return Path(Dir + "/" + base), nil
}

// ValidateBase checks a base name: a 32-character nix32 digest, a dash and a
// valid name.
func ValidateBase(base string) error {
	if len(base) < DigestLen+2 || base[DigestLen] != '-' {
		return fmt.Errorf("%q is too short or lacks the digest: %w", base, ErrInvalid)
	}
	for i := 0; i < DigestLen; i++ {
		if !nixbase32.ValidChar(base[i]) {
			return fmt.Errorf("%q has an invalid digest character %q: %w", base, base[i], ErrInvalid)
		}
	}
	return ValidateName(base[DigestLen+1:])
}

// ValidateName checks a store path name: 1 to 211 characters from
// [0-9a-zA-Z+-._?=], not "." or "..", not starting with ".-" or "..-".
func ValidateName(name string) error {
	if name == "" {
		return fmt.Errorf("name is empty: %w", ErrInvalid)
	}
	if len(name) > MaxNameLen {
		return fmt.Errorf("name '%s' is longer than %d characters: %w", name, MaxNameLen, ErrInvalid)
	}
	if name == "." || name == ".." || strings.HasPrefix(name, ".-") || strings.HasPrefix(name, "..-") {
		return fmt.Errorf("name '%s' is not allowed: %w", name, ErrInvalid)
	}
	for i := 0; i < len(name); i++ {
		if !validNameChar(name[i]) {
			return fmt.Errorf("name '%s' contains illegal character '%c': %w", name, name[i], ErrInvalid)
		}
	}
	return nil
}

func validNameChar(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
		strings.IndexByte("+-._?=", c) >= 0
}

// Base returns the last element, "<digest>-name".
func (p Path) Base() string { return string(p)[len(Dir)+1:] }

// HashPart returns the 32-character digest.
func (p Path) HashPart() string { return p.Base()[:DigestLen] }

// Name returns the name after the digest.
func (p Path) Name() string { return p.Base()[DigestLen+1:] }

// String returns the path itself.
func (p Path) String() string { return string(p) }

// Make computes a store path from its type string, the inner sha256 digest
// and the name. It is Nix's makeStorePath.
func Make(typ string, inner []byte, name string) Path {
	s := typ + ":sha256:" + fmt.Sprintf("%x", inner) + ":" + Dir + ":" + name
	sum := sha256.Sum256([]byte(s))
	return Path(Dir + "/" + nixbase32.EncodeToString(nixhash.Compress(sum[:], 20)) + "-" + name)
}

// typeWithRefs appends sorted references (and ":self") to a type string.
func typeWithRefs(typ string, refs []Path, self bool) string {
	sorted := make([]string, len(refs))
	for i, r := range refs {
		sorted[i] = string(r)
	}
	sort.Strings(sorted)
	var b strings.Builder
	b.WriteString(typ)
	for _, r := range sorted {
		b.WriteByte(':')
		b.WriteString(r)
	}
	if self {
		b.WriteString(":self")
	}
	return b.String()
}

// MakeText returns the path of a text file (builtins.toFile, .drv files)
// whose contents hash to contentSHA256 and that refers to refs.
func MakeText(name string, contentSHA256 []byte, refs []Path) (Path, error) {
	if err := ValidateName(name); err != nil {
		return "", err
	}
	return Make(typeWithRefs("text", refs, false), contentSHA256, name), nil
}

// MakeOutput returns the path of output outName of an input-addressed
// derivation whose hash modulo is drvHash and whose name is drvName.
func MakeOutput(outName string, drvHash []byte, drvName string) (Path, error) {
	name := drvName
	if outName != "out" {
		name += "-" + outName
	}
	if err := ValidateName(name); err != nil {
		return "", err
	}
	return Make("output:"+outName, drvHash, name), nil
}

// Method says how content was hashed for a content address.
type Method uint8

// The content-addressing methods.
const (
	Flat      Method = iota // the file's bytes
	Recursive               // the NAR serialisation ("r:")
	Text                    // a text file (only sha256)
)

// Prefix returns the method's prefix in fixed-output hashes: "r:" for
// Recursive, "" otherwise.
func (m Method) Prefix() string {
	if m == Recursive {
		return "r:"
	}
	return ""
}

// MakeFixedOutput returns the path of content-addressed data: a recursive
// sha256 hash gives a "source" path (which may have references and a self
// reference), any other hash an "output:out" path without references.
func MakeFixedOutput(m Method, h nixhash.Hash, name string, refs []Path, self bool) (Path, error) {
	if err := ValidateName(name); err != nil {
		return "", err
	}
	switch {
	case m == Text:
		if h.Algo != nixhash.SHA256 {
			return "", fmt.Errorf("text hashing requires sha256, got %s", h.Algo)
		}
		if self {
			return "", fmt.Errorf("text path '%s' cannot refer to itself", name)
		}
		return Make(typeWithRefs("text", refs, false), h.Digest, name), nil
	case m == Recursive && h.Algo == nixhash.SHA256:
		return Make(typeWithRefs("source", refs, self), h.Digest, name), nil
	}
	if len(refs) > 0 || self {
		return "", fmt.Errorf("fixed output '%s' is not allowed to refer to other store paths", name)
	}
	inner := sha256.Sum256([]byte("fixed:out:" + m.Prefix() + h.Algo.String() + ":" + h.Hex() + ":"))
	return Make("output:out", inner[:], name), nil
}

// ContentAddress is the "ca" field of a valid path: how its contents were
// hashed to make its name.
type ContentAddress struct {
	Method Method
	Hash   nixhash.Hash
}

// String prints the content address as Nix does: "text:sha256:<nix32>" or
// "fixed:[r:]algo:<nix32>".
func (ca ContentAddress) String() string {
	if ca.Hash.IsZero() {
		return ""
	}
	if ca.Method == Text {
		return "text:" + ca.Hash.String()
	}
	return "fixed:" + ca.Method.Prefix() + ca.Hash.String()
}

// ParseContentAddress parses the form String prints. The empty string gives
// the zero ContentAddress.
func ParseContentAddress(s string) (ContentAddress, error) {
	if s == "" {
		return ContentAddress{}, nil
	}
	var m Method
	var rest string
	switch {
	case strings.HasPrefix(s, "text:"):
		m, rest = Text, s[len("text:"):]
	case strings.HasPrefix(s, "fixed:r:"):
		m, rest = Recursive, s[len("fixed:r:"):]
	case strings.HasPrefix(s, "fixed:"):
		m, rest = Flat, s[len("fixed:"):]
	default:
		return ContentAddress{}, fmt.Errorf("content address '%s' has an unknown method", s)
	}
	h, err := nixhash.Parse(rest, 0)
	if err != nil {
		return ContentAddress{}, fmt.Errorf("content address '%s': %w", s, err)
	}
	if m == Text && h.Algo != nixhash.SHA256 {
		return ContentAddress{}, fmt.Errorf("content address '%s': text requires sha256", s)
	}
	return ContentAddress{m, h}, nil
}

// Path returns the store path the content address gives name with refs.
func (ca ContentAddress) Path(name string, refs []Path, self bool) (Path, error) {
	return MakeFixedOutput(ca.Method, ca.Hash, name, refs, self)
}
