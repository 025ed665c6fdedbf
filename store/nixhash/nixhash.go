// Package nixhash parses and prints hashes the way Nix does: the algorithms
// md5, sha1, sha256 and sha512, in base-16, nix32, base-64 and SRI forms,
// with or without an "algo:" prefix.
package nixhash

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"strings"

	"github.com/frazil/frazil/store/nixbase32"
)

// Algo is a hash algorithm known to Nix.
type Algo uint8

// The algorithms, in Nix's spelling.
const (
	MD5 Algo = iota + 1
	SHA1
	SHA256
	SHA512
)

var algoNames = [...]string{MD5: "md5", SHA1: "sha1", SHA256: "sha256", SHA512: "sha512"}
var algoSizes = [...]int{MD5: md5.Size, SHA1: sha1.Size, SHA256: sha256.Size, SHA512: sha512.Size}

// ParseAlgo returns the algorithm called name ("sha256", …).
func ParseAlgo(name string) (Algo, error) {
	for a, n := range algoNames {
		if n != "" && n == name {
			return Algo(a), nil
		}
	}
	return 0, fmt.Errorf("unknown hash algorithm '%s'", name)
}

// String returns the algorithm's name.
func (a Algo) String() string {
	if int(a) < len(algoNames) && algoNames[a] != "" {
		return algoNames[a]
	}
	return fmt.Sprintf("Algo(%d)", uint8(a))
}

// Size returns the digest size in bytes.
func (a Algo) Size() int { return algoSizes[a] }

// New returns a hash.Hash computing a.
func (a Algo) New() hash.Hash {
	switch a {
	case MD5:
		return md5.New()
	case SHA1:
		return sha1.New()
	case SHA512:
		return sha512.New()
	default:
		return sha256.New()
	}
}

// Hash is a digest together with its algorithm.
type Hash struct {
	Algo   Algo
	Digest []byte
}

// Sum hashes data with a.
func Sum(a Algo, data []byte) Hash {
	h := a.New()
	h.Write(data)
	return Hash{a, h.Sum(nil)}
}

// Hex returns the digest in lowercase base 16.
func (h Hash) Hex() string { return hex.EncodeToString(h.Digest) }

// Nix32 returns the digest in nix32.
func (h Hash) Nix32() string { return nixbase32.EncodeToString(h.Digest) }

// Base64 returns the digest in standard padded base 64.
func (h Hash) Base64() string { return base64.StdEncoding.EncodeToString(h.Digest) }

// SRI returns "algo-base64".
func (h Hash) SRI() string { return h.Algo.String() + "-" + h.Base64() }

// String returns "algo:nix32", the form Nix uses in narinfo and the store
// database ("sha256:1b0d…").
func (h Hash) String() string { return h.Algo.String() + ":" + h.Nix32() }

// HexString returns "algo:hex", the form Nix uses in the ValidPaths table.
func (h Hash) HexString() string { return h.Algo.String() + ":" + h.Hex() }

// IsZero reports whether h holds no digest.
func (h Hash) IsZero() bool { return len(h.Digest) == 0 }

// Equal reports whether h and o are the same algorithm and digest.
func (h Hash) Equal(o Hash) bool {
	return h.Algo == o.Algo && string(h.Digest) == string(o.Digest)
}

// Encoding names a textual form of a digest.
type Encoding uint8

// The encodings understood by Format and builtins.convertHash.
const (
	Base16 Encoding = iota
	Nix32
	Base64
	SRI
)

// Format prints h in the given encoding. Base16, Nix32 and Base64 carry
// no algorithm prefix; SRI does.
func (h Hash) Format(e Encoding) string {
	switch e {
	case Nix32:
		return h.Nix32()
	case Base64:
		return h.Base64()
	case SRI:
		return h.SRI()
	default:
		return h.Hex()
	}
}

// Parse parses a hash in any of the forms Nix accepts: SRI ("sha256-…"),
// prefixed ("sha256:…" in base 16, nix32 or base 64), or, if algo is not
// zero, a bare digest of that algorithm. A prefix or SRI algorithm must agree
// with a non-zero algo.
func Parse(s string, algo Algo) (Hash, error) {
	rest := s
	var prefixed Algo
	isSRI := false
	if i := strings.IndexByte(s, ':'); i >= 0 {
		a, err := ParseAlgo(s[:i])
		if err != nil {
			return Hash{}, err
		}
		prefixed, rest = a, s[i+1:]
	} else if i := strings.IndexByte(s, '-'); i >= 0 {
		if a, err := ParseAlgo(s[:i]); err == nil {
			prefixed, rest, isSRI = a, s[i+1:], true
		}
	}
	if prefixed != 0 {
		if algo != 0 && algo != prefixed {
			return Hash{}, fmt.Errorf("hash '%s' should have type '%s'", s, algo)
		}
		algo = prefixed
	}
	if algo == 0 {
		return Hash{}, fmt.Errorf("hash '%s' does not include a type", s)
	}
	if isSRI {
		d, err := base64.StdEncoding.DecodeString(rest)
		if err != nil || len(d) != algo.Size() {
			return Hash{}, fmt.Errorf("invalid SRI hash '%s'", s)
		}
		return Hash{algo, d}, nil
	}
	d, err := decodeDigest(rest, algo)
	if err != nil {
		return Hash{}, fmt.Errorf("hash '%s' has wrong length for hash type '%s'", s, algo)
	}
	return Hash{algo, d}, nil
}

// decodeDigest decodes a digest whose encoding is told by its length.
func decodeDigest(s string, algo Algo) ([]byte, error) {
	n := algo.Size()
	switch len(s) {
	case hex.EncodedLen(n):
		return hex.DecodeString(s)
	case nixbase32.EncodedLen(n):
		return nixbase32.DecodeString(s)
	case base64.StdEncoding.EncodedLen(n):
		d, err := base64.StdEncoding.DecodeString(s)
		if err == nil && len(d) != n {
			err = fmt.Errorf("bad length")
		}
		return d, err
	}
	return nil, fmt.Errorf("bad length")
}

// Compress XOR-folds digest into n bytes, as Nix's compressHash does for the
// 160-bit digests of store paths.
func Compress(digest []byte, n int) []byte {
	out := make([]byte, n)
	for i, b := range digest {
		out[i%n] ^= b
	}
	return out
}
