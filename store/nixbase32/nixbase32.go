// Package nixbase32 implements Nix's base-32 encoding ("nix32").
//
// Nix32 uses the alphabet 0123456789abcdfghijklmnpqrsvwxyz (no e, o, u, t)
// and, unlike RFC 4648, emits the characters for the last bits first: the
// character at position n of an encoding of length L carries bits
// 5*(L-1-n) … 5*(L-1-n)+4 of the input read as a little-endian number.
package nixbase32

import "fmt"

// Alphabet is the nix32 alphabet in value order.
const Alphabet = "0123456789abcdfghijklmnpqrsvwxyz"

var decodeMap [256]byte

func init() {
	for i := range decodeMap {
		decodeMap[i] = 0xff
	}
	for i := 0; i < len(Alphabet); i++ {
		decodeMap[Alphabet[i]] = byte(i)
	}
}

// EncodedLen returns the length of the nix32 encoding of n bytes.
func EncodedLen(n int) int {
	if n == 0 {
		return 0
	}
	return (n*8-1)/5 + 1
}

// DecodedLen returns the number of bytes that an encoding of n characters
// holds.
func DecodedLen(n int) int {
	return n * 5 / 8
}

// EncodeToString returns the nix32 encoding of src.
func EncodeToString(src []byte) string {
	dst := make([]byte, EncodedLen(len(src)))
	Encode(dst, src)
	return string(dst)
}

// Encode writes the nix32 encoding of src to dst, which must hold
// EncodedLen(len(src)) bytes.
func Encode(dst, src []byte) {
	l := EncodedLen(len(src))
	for n := l - 1; n >= 0; n-- {
		b := uint(n * 5)
		i := b / 8
		j := b % 8
		c := src[i] >> j
		if int(i)+1 < len(src) {
			c |= src[i+1] << (8 - j)
		}
		dst[l-1-n] = Alphabet[c&31]
	}
}

// DecodeString decodes a nix32 string. It rejects characters outside the
// alphabet and encodings whose unused high bits are not zero, so that every
// byte string has exactly one encoding.
func DecodeString(s string) ([]byte, error) {
	dst := make([]byte, DecodedLen(len(s)))
	for n := 0; n < len(s); n++ {
		c := s[len(s)-n-1]
		digit := decodeMap[c]
		if digit == 0xff {
			return nil, fmt.Errorf("nix32: invalid character %q at offset %d", c, len(s)-n-1)
		}
		b := uint(n * 5)
		i := b / 8
		j := b % 8
		if int(i) < len(dst) {
			dst[i] |= digit << j
		} else if digit<<j != 0 {
			return nil, fmt.Errorf("nix32: %q has non-zero padding bits", s)
		}
		if carry := digit >> (8 - j); carry != 0 {
			if int(i)+1 >= len(dst) {
				return nil, fmt.Errorf("nix32: %q has non-zero padding bits", s)
			}
			dst[i+1] |= carry
		}
	}
	return dst, nil
}

// ValidChar reports whether c belongs to the nix32 alphabet.
func ValidChar(c byte) bool {
	return decodeMap[c] != 0xff
}
