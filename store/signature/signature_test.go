package signature

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/store/narinfo"
)

// The key in testdata was made by `nix key generate-secret --key-name
// test-1` (Nix 2.8) and its public half by `nix key
// convert-secret-to-public`; the narinfo files in ../narinfo/testdata carry
// signatures `nix store sign` made with it.
func readKey(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestNixKeyPair(t *testing.T) {
	sk, err := ParseSecretKey(readKey(t, "test-1.secret"))
	if err != nil {
		t.Fatalf("ParseSecretKey: %v", err)
	}
	if got, want := sk.String(), readKey(t, "test-1.secret"); got != want {
		t.Errorf("secret String() = %q, want %q", got, want)
	}
	if got, want := sk.Public().String(), readKey(t, "test-1.public"); got != want {
		t.Errorf("Public() = %q, want Nix's %q", got, want)
	}
	pk, err := ParsePublicKey(readKey(t, "test-1.public"))
	if err != nil {
		t.Fatalf("ParsePublicKey: %v", err)
	}
	if pk.Name != "test-1" || !pk.Key.Equal(sk.Public().Key) {
		t.Errorf("ParsePublicKey = %v, want test-1 and the secret's public half", pk)
	}
}

// TestNixSignatures signs the fingerprints of the golden narinfo files and
// compares with the signatures Nix wrote (Ed25519 is deterministic), then
// verifies Nix's signatures.
func TestNixSignatures(t *testing.T) {
	sk, err := ParseSecretKey(readKey(t, "test-1.secret"))
	if err != nil {
		t.Fatal(err)
	}
	trusted, err := ParseTrustedKeys(readKey(t, "test-1.public"))
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("../narinfo/testdata/*.narinfo")
	if len(files) == 0 {
		t.Fatal("no golden narinfo files")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ni, err := narinfo.Parse(data, f)
		if err != nil {
			t.Fatal(err)
		}
		fp, err := ni.Fingerprint()
		if err != nil {
			t.Fatal(err)
		}
		if len(ni.Sigs) != 1 {
			t.Fatalf("%s: %d signatures, want 1", f, len(ni.Sigs))
		}
		if got := sk.Sign(fp); got != ni.Sigs[0] {
			t.Errorf("%s: Sign = %q, want Nix's %q", f, got, ni.Sigs[0])
		}
		if name, err := trusted.Verify(fp, ni.Sigs); err != nil || name != "test-1" {
			t.Errorf("%s: Verify = %q, %v, want test-1, nil", f, name, err)
		}
	}
}

func TestGenerate(t *testing.T) {
	seed := bytes.NewReader(bytes.Repeat([]byte{7}, 32))
	sk, err := Generate("cache.example.org-1", seed)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseSecretKey(sk.String())
	if err != nil {
		t.Fatalf("ParseSecretKey(String()): %v", err)
	}
	if !again.Key.Equal(sk.Key) || again.Name != sk.Name {
		t.Errorf("round trip = %v, want %v", again, sk)
	}
	const fp = "1;/nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir;sha256:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k;880;"
	sig := sk.Sign(fp)
	if !strings.HasPrefix(sig, "cache.example.org-1:") {
		t.Errorf("Sign = %q, want the key name as prefix", sig)
	}
	if err := sk.Public().Verify(fp, sig); err != nil {
		t.Errorf("Verify own signature: %v", err)
	}
	for _, bad := range []string{"", "a:b", "a b", "x\n"} {
		if _, err := Generate(bad, nil); err == nil {
			t.Errorf("Generate(%q) succeeded, want error", bad)
		}
	}
}

func TestParseErrors(t *testing.T) {
	sk, _ := Generate("k", bytes.NewReader(bytes.Repeat([]byte{1}, 32)))
	other, _ := Generate("k", bytes.NewReader(bytes.Repeat([]byte{2}, 32)))
	mismatched := append(append([]byte{}, sk.Key[:32]...), other.Key[32:]...)
	tests := []struct {
		name, in, want string
		parse          func(string) error
	}{
		{"secret no colon", "abc", "secret key is corrupt", parseSecret},
		{"secret empty name", ":AAAA", "secret key is corrupt", parseSecret},
		{"secret bad base64", "k:!!!", "secret key 'k' is corrupt", parseSecret},
		{"secret short", "k:" + b64(make([]byte, 32)), "secret key 'k' is not valid: 32 bytes, want 64", parseSecret},
		{"secret halves differ", "k:" + b64(mismatched), "public half does not match", parseSecret},
		{"public given as secret", readKeyNoT("test-1.public"), "secret key 'test-1' is not valid", parseSecret},
		{"public short", "k:" + b64(make([]byte, 31)), "public key 'k' is not valid: 31 bytes, want 32", parsePublic},
		{"public empty", "k:", "public key is corrupt", parsePublic},
		{"secret given as public", readKeyNoT("test-1.secret"), "public key 'test-1' is not valid", parsePublic},
	}
	for _, tt := range tests {
		err := tt.parse(tt.in)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want it to contain %q", tt.name, err, tt.want)
		}
	}
}

func parseSecret(s string) error { _, err := ParseSecretKey(s); return err }
func parsePublic(s string) error { _, err := ParsePublicKey(s); return err }

func readKeyNoT(name string) string {
	b, _ := os.ReadFile(filepath.Join("testdata", name))
	return string(b)
}

func b64(b []byte) string { return SecretKey{Name: "x", Key: b}.String()[2:] }

// TestVerifyRejects checks every way a path can fail to be trusted.
func TestVerifyRejects(t *testing.T) {
	const fp = "1;/nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir;sha256:1b0ddz1xrvwm7dzyh8m6za8ypwjsdp4nyws5kiciivlgn8xcfp6k;880;"
	good, _ := Generate("good", bytes.NewReader(bytes.Repeat([]byte{3}, 32)))
	evil, _ := Generate("evil", bytes.NewReader(bytes.Repeat([]byte{4}, 32)))
	impostor, _ := Generate("good", bytes.NewReader(bytes.Repeat([]byte{5}, 32)))
	trusted := TrustedKeys{"good": good.Public()}
	tests := []struct {
		name string
		sigs []string
		want string
	}{
		{"no signatures", nil, "no signatures"},
		{"untrusted key", []string{evil.Sign(fp)}, "'evil' is not a trusted key"},
		{"other fingerprint", []string{good.Sign(fp + "x")}, "signature by 'good': signature does not match"},
		{"same name, other key", []string{impostor.Sign(fp)}, "signature by 'good': signature does not match"},
		{"truncated", []string{good.Sign(fp)[:40]}, "signature 'good' is"},
		{"garbage", []string{"nonsense"}, "'nonsense' is not a trusted key"},
	}
	for _, tt := range tests {
		name, err := trusted.Verify(fp, tt.sigs)
		if err == nil {
			t.Errorf("%s: Verify succeeded with %q, want error", tt.name, name)
			continue
		}
		if !errors.Is(err, ErrUntrusted) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q, want ErrUntrusted containing %q", tt.name, err, tt.want)
		}
	}
	// One good signature among bad ones is enough.
	sigs := []string{evil.Sign(fp), impostor.Sign(fp), good.Sign(fp)}
	if name, err := trusted.Verify(fp, sigs); err != nil || name != "good" {
		t.Errorf("Verify(mixed) = %q, %v, want good, nil", name, err)
	}
}

func TestParseTrustedKeys(t *testing.T) {
	a, _ := Generate("a", bytes.NewReader(bytes.Repeat([]byte{1}, 32)))
	b, _ := Generate("b", bytes.NewReader(bytes.Repeat([]byte{2}, 32)))
	tk, err := ParseTrustedKeys("  " + a.Public().String() + "\n\t" + b.Public().String() + " ")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(tk.Names(), ","); got != "a,b" {
		t.Errorf("Names() = %q, want a,b", got)
	}
	if _, err := ParseTrustedKeys(a.Public().String() + " junk"); err == nil {
		t.Error("ParseTrustedKeys with junk succeeded, want error")
	}
}

// FuzzParseSecretKey checks that parsing never panics and that an accepted
// key prints back as its canonical form.
func FuzzParseSecretKey(f *testing.F) {
	f.Add(readKeyNoT("test-1.secret"))
	f.Add(readKeyNoT("test-1.public"))
	f.Fuzz(func(t *testing.T, s string) {
		if k, err := ParseSecretKey(s); err == nil {
			if _, err := ParseSecretKey(k.String()); err != nil {
				t.Fatalf("canonical form %q does not parse: %v", k, err)
			}
		}
		if k, err := ParsePublicKey(s); err == nil {
			if _, err := ParsePublicKey(k.String()); err != nil {
				t.Fatalf("canonical form %q does not parse: %v", k, err)
			}
		}
	})
}
