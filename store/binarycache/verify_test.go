package binarycache

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/signature"
	"github.com/frazil/frazil/store/storepath"
)

func TestTrustCheck(t *testing.T) {
	sk, _ := signature.Generate("good-1", nil)
	evil, _ := signature.Generate("evil-1", nil)
	trusted := Trust{Keys: signature.TrustedKeys{"good-1": sk.Public()}}
	sign := func(tp testPath, k signature.SecretKey) testPath {
		info := *tp.info // a copy: tp.info is shared with other cases
		fp, _ := info.Fingerprint()
		info.Sigs = []string{k.Sign(fp)}
		return testPath{info: &info, nar: tp.nar}
	}
	ia := makeIAPath(t, "ia", "x")
	ca := makePath(t, "ca", "y")
	forged := makePath(t, "forged", "z")
	forged.info.CA.Hash = nixhash.Sum(nixhash.SHA256, []byte("other"))
	sha1 := makeIAPath(t, "sha1", "w")
	sha1.info.NarHash = nixhash.Sum(nixhash.SHA1, sha1.nar)
	tests := []struct {
		name  string
		tp    testPath
		trust Trust
		want  string // "" for trusted
	}{
		{"signed by trusted key", sign(ia, sk), trusted, ""},
		{"unsigned", ia, trusted, "lacks a valid signature: no signatures"},
		{"signed by untrusted key", sign(ia, evil), trusted, "'evil-1' is not a trusted key"},
		{"content-addressed, unsigned", ca, trusted, ""},
		{"content address does not give the path", forged, trusted, "lacks a valid signature"},
		{"unsigned with --no-check-sigs", ia, Trust{NoCheckSigs: true}, ""},
		{"sha1 NAR hash", sign(sha1, sk), trusted, "NAR hash is sha1, want sha256"},
	}
	for _, tt := range tests {
		err := tt.trust.check(tt.tp.info, "file:///c")
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v, want trusted", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		case tt.want != "" && strings.Contains(tt.want, "signature") && !errors.Is(err, ErrUntrusted):
			t.Errorf("%s: error %v does not wrap ErrUntrusted", tt.name, err)
		}
	}
}

// TestCACheck: a path trusted through its content address is checked
// against it as the NAR streams.
func TestCACheck(t *testing.T) {
	trust := Trust{Keys: signature.TrustedKeys{}}
	text := []byte("a text file\n")
	th := nixhash.Sum(nixhash.SHA256, text)
	textPath, _ := storepath.MakeText("t.txt", th.Digest, nil)
	textTP := testPath{info: makePath(t, "t.txt", string(text)).info, nar: fileNAR(string(text))}
	textTP.info.StorePath, textTP.info.CA = textPath, storepath.ContentAddress{Method: storepath.Text, Hash: th}
	execNAR := narStrings("nix-archive-1", "(", "type", "regular", "executable", "", "contents", string(text), ")")
	tests := []struct {
		name string
		tp   testPath
		nar  []byte
		want string
	}{
		{"recursive ok", makePath(t, "r", "contents"), nil, ""},
		{"recursive other NAR", makePath(t, "r", "contents"), fileNAR("other"), "but its content address says"},
		{"text ok", textTP, nil, ""},
		{"text ok, executable", textTP, execNAR, ""},
		{"text other contents", textTP, fileNAR("changed\n"), "but its content address says"},
		{"text truncated", textTP, fileNAR(string(text))[:100], "not a single regular file"},
		{"text as directory", textTP, narStrings("nix-archive-1", "(", "type", "directory", ")"), "not a single regular file"},
	}
	for _, tt := range tests {
		w, final := trust.caCheck(tt.tp.info)
		if w == nil {
			t.Fatalf("%s: caCheck returned no check", tt.name)
		}
		nar := tt.nar
		if nar == nil {
			nar = tt.tp.nar
		}
		for _, b := range nar { // byte by byte: the header spans writes
			w.Write([]byte{b})
		}
		err := final()
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	// A signed path needs no content check.
	sk, _ := signature.Generate("k", nil)
	tp := makePath(t, "s", "signed")
	fp, _ := tp.info.Fingerprint()
	tp.info.Sigs = []string{sk.Sign(fp)}
	if w, _ := (Trust{Keys: signature.TrustedKeys{"k": sk.Public()}}).caCheck(tp.info); w != nil {
		t.Error("caCheck of a signed path returned a check")
	}
}

// TestHoldback: the last byte only comes out after final approved the
// stream; a failing final turns the end of the stream into its error.
func TestHoldback(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 20000)
	for _, oneByte := range []bool{false, true} {
		var src io.Reader = bytes.NewReader(data)
		if oneByte {
			src = iotest.OneByteReader(src)
		}
		called := false
		got, err := io.ReadAll(newHoldback(src, func() error { called = true; return nil }))
		if err != nil || !bytes.Equal(got, data) || !called {
			t.Errorf("oneByte=%v: got %d bytes, %v, final called %v; want all %d bytes", oneByte, len(got), err, called, len(data))
		}
	}
	bad := errors.New("file hash mismatch")
	h := newHoldback(bytes.NewReader(data), func() error { return bad })
	got, err := io.ReadAll(h)
	if !errors.Is(err, bad) || len(got) >= len(data) {
		t.Errorf("failing final: got %d bytes, %v; want fewer than %d bytes and the error", len(got), err, len(data))
	}
	// Errors of the source pass through and nothing more is delivered.
	h = newHoldback(iotest.TimeoutReader(bytes.NewReader(data)), func() error { return nil })
	if _, err := io.ReadAll(h); !errors.Is(err, iotest.ErrTimeout) {
		t.Errorf("source error: %v, want ErrTimeout", err)
	}
}
