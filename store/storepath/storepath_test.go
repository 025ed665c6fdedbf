package storepath

import (
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"github.com/frazil/frazil/store/nixhash"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr6-hello.txt", true},
		{"/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr6-a+b-._?=", true},
		{"/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr6-", false},
		{"/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr6", false},
		{"/nix/store/e3vl5f9f521bladwcs3zi5gmc1pd6qr6-x", false},
		{"/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr6-a/b", false},
		{"/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr6-.-x", false},
		{"/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr6-..", false},
		{"/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr6-" + strings.Repeat("a", 211), true},
		{"/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr6-" + strings.Repeat("a", 212), false},
		{"/tmp/i3vl5f9f521bladwcs3zi5gmc1pd6qr6-x", false},
		{"/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr-x", false},
	}
	for _, tt := range tests {
		p, err := Parse(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("Parse(%q) error = %v, want ok %v", tt.in, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalid) {
			t.Errorf("Parse(%q) error %v does not wrap ErrInvalid", tt.in, err)
		}
		if err == nil && string(p) != tt.in {
			t.Errorf("Parse(%q) = %q", tt.in, p)
		}
	}
}

func TestAccessors(t *testing.T) {
	p := Path("/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr6-hello.txt")
	if got := p.HashPart(); got != "i3vl5f9f521bladwcs3zi5gmc1pd6qr6" {
		t.Errorf("HashPart = %q", got)
	}
	if got := p.Name(); got != "hello.txt" {
		t.Errorf("Name = %q", got)
	}
}

// The vectors are from NIXOS.md Appendix A, verified against Nix 2.8.
func TestMake(t *testing.T) {
	hello := sha256.Sum256([]byte("Hello, world!\n"))
	p, err := MakeText("hello.txt", hello[:], nil)
	if want := Path("/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr6-hello.txt"); err != nil || p != want {
		t.Errorf("MakeText = %q, %v, want %q", p, err, want)
	}

	zero := nixhash.Hash{Algo: nixhash.SHA256, Digest: make([]byte, 32)}
	tests := []struct {
		m    Method
		name string
		want Path
	}{
		{Recursive, "fod", "/nix/store/h22nhabdi1cyg37slqlhqqmkaish1sm7-fod"},
		{Flat, "flat", "/nix/store/knhz80641ahd84ddja70ih8aiayvm51q-flat"},
	}
	for _, tt := range tests {
		got, err := MakeFixedOutput(tt.m, zero, tt.name, nil, false)
		if err != nil || got != tt.want {
			t.Errorf("MakeFixedOutput(%v, 0, %q) = %q, %v, want %q", tt.m, tt.name, got, err, tt.want)
		}
	}

	nar, _ := nixhash.Parse("sha256:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k", 0)
	got, err := MakeFixedOutput(Recursive, nar, "srcdir", nil, false)
	if want := Path("/nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir"); err != nil || got != want {
		t.Errorf("MakeFixedOutput(srcdir) = %q, %v, want %q", got, err, want)
	}
	if _, err := MakeFixedOutput(Flat, zero, "x", []Path{got}, false); err == nil {
		t.Errorf("flat fixed output with references succeeded")
	}
}

func TestContentAddress(t *testing.T) {
	for _, s := range []string{
		"text:sha256:1x9gyyamm7d9p2hm06hx9vx6gm4sd1mksxqlqfxaajl44i34q0fr",
		"fixed:r:sha256:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k",
		"fixed:sha1:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4n",
	} {
		ca, err := ParseContentAddress(s)
		if err != nil {
			t.Errorf("ParseContentAddress(%q): %v", s, err)
			continue
		}
		if got := ca.String(); got != s {
			t.Errorf("ParseContentAddress(%q).String() = %q", s, got)
		}
	}
	for _, s := range []string{"text:sha1:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4n", "nar:sha256:x", "fixed:sha256:zz"} {
		if _, err := ParseContentAddress(s); err == nil {
			t.Errorf("ParseContentAddress(%q) succeeded", s)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add("/nix/store/i3vl5f9f521bladwcs3zi5gmc1pd6qr6-hello.txt")
	f.Add("/nix/store/")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			return
		}
		if len(p.HashPart()) != DigestLen || p.Name() == "" || string(p) != s {
			t.Fatalf("Parse(%q) accepted a malformed path", s)
		}
		if _, err := FromBase(p.Base()); err != nil {
			t.Fatalf("FromBase(%q): %v", p.Base(), err)
		}
	})
}
