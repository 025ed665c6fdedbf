package nixbase32

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func TestEncode(t *testing.T) {
	sum := sha256.Sum256([]byte("abc"))
	tests := []struct {
		in   []byte
		want string
	}{
		{nil, ""},
		{[]byte{0x1f}, "0z"},
		{sum[:], "1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s"},
		{mustHex(t, "d35cc73ab28fee18599c45736fc96d5af2eb91faa622e87f3b95efdcc36f0dac"), "1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k"},
	}
	for _, tt := range tests {
		if got := EncodeToString(tt.in); got != tt.want {
			t.Errorf("EncodeToString(%x) = %q, want %q", tt.in, got, tt.want)
		}
		got, err := DecodeString(tt.want)
		if err != nil {
			t.Errorf("DecodeString(%q): %v", tt.want, err)
			continue
		}
		if !bytes.Equal(got, tt.in) && !(len(got) == 0 && len(tt.in) == 0) {
			t.Errorf("DecodeString(%q) = %x, want %x", tt.want, got, tt.in)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, s := range []string{"e", "0u", "zz", "1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5t"} {
		if _, err := DecodeString(s); err == nil {
			t.Errorf("DecodeString(%q) succeeded, want error", s)
		}
	}
}

func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte("hello"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s := EncodeToString(b)
		got, err := DecodeString(s)
		if err != nil {
			t.Fatalf("DecodeString(EncodeToString(%x)): %v", b, err)
		}
		if !bytes.Equal(got, b) && len(b) != 0 {
			t.Fatalf("round trip %x -> %q -> %x", b, s, got)
		}
	})
}

func FuzzDecode(f *testing.F) {
	f.Add("1b8m03r63zqhnjf7l5wnldhh7c134ap5vpj0850ymkq1iyzicy5s")
	f.Fuzz(func(t *testing.T, s string) {
		b, err := DecodeString(s)
		if err != nil {
			return
		}
		if got := EncodeToString(b); got != s && len(s) == EncodedLen(len(b)) {
			t.Fatalf("DecodeString(%q) = %x, which encodes as %q", s, b, got)
		}
	})
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
