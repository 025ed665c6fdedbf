// Package signature handles the Ed25519 keys and signatures Nix uses to
// vouch for store paths.
//
// Every key and signature is written "<name>:<base64>". The name says which
// key signed (a cache is trusted by listing its public key under that
// name); the base-64 part is, as in libsodium,
//
//	secret key  64 bytes: the 32-byte seed followed by the 32-byte public key
//	public key  32 bytes
//	signature   64 bytes, a detached Ed25519 signature
//
// What is signed is a path's fingerprint (narinfo.Fingerprint), so keys and
// signatures made here and by `nix key generate-secret` / `nix store sign`
// are interchangeable.
package signature

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// SecretKey is a named Ed25519 private key.
type SecretKey struct {
	Name string
	Key  ed25519.PrivateKey
}

// PublicKey is a named Ed25519 public key.
type PublicKey struct {
	Name string
	Key  ed25519.PublicKey
}

// ErrBadSignature is wrapped by PublicKey.Verify errors for a signature
// that does not check out.
var ErrBadSignature = errors.New("signature does not match")

// ErrUntrusted is wrapped by TrustedKeys.Verify errors: no signature by a
// trusted key checks out.
var ErrUntrusted = errors.New("no valid signature by a trusted key")

// Generate makes a new secret key called name, reading randomness from r
// (crypto/rand when nil).
func Generate(name string, r io.Reader) (SecretKey, error) {
	if err := checkName(name); err != nil {
		return SecretKey{}, err
	}
	if r == nil {
		r = rand.Reader
	}
	_, priv, err := ed25519.GenerateKey(r)
	if err != nil {
		return SecretKey{}, fmt.Errorf("generate key '%s': %w", name, err)
	}
	return SecretKey{Name: name, Key: priv}, nil
}

// checkName rejects names that cannot be written in "name:base64" form.
func checkName(name string) error {
	if name == "" {
		return errors.New("key name is empty")
	}
	if strings.ContainsAny(name, ": \t\n") {
		return fmt.Errorf("key name '%s' contains a colon or white space", name)
	}
	return nil
}

// split cuts "name:base64" and decodes the base-64 part, which must be n
// bytes long. Surrounding white space (a key file's newline) is ignored.
func split(s, what string, n int) (string, []byte, error) {
	s = strings.TrimSpace(s)
	name, b64, ok := strings.Cut(s, ":")
	if !ok || name == "" || b64 == "" {
		return "", nil, fmt.Errorf("%s is corrupt: want NAME:BASE64", what)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return "", nil, fmt.Errorf("%s '%s' is corrupt: %w", what, name, err)
	}
	if len(raw) != n {
		return "", nil, fmt.Errorf("%s '%s' is not valid: %d bytes, want %d", what, name, len(raw), n)
	}
	return name, raw, nil
}

// ParseSecretKey parses a secret key as `nix key generate-secret` prints it.
// The public half stored in the key must match its seed.
func ParseSecretKey(s string) (SecretKey, error) {
	name, raw, err := split(s, "secret key", ed25519.PrivateKeySize)
	if err != nil {
		return SecretKey{}, err
	}
	k := ed25519.PrivateKey(raw)
	derived := ed25519.NewKeyFromSeed(k.Seed())
	if !k.Equal(derived) {
		return SecretKey{}, fmt.Errorf("secret key '%s' is not valid: its public half does not match its seed", name)
	}
	return SecretKey{Name: name, Key: k}, nil
}

// ParsePublicKey parses a public key as `nix key convert-secret-to-public`
// prints it.
func ParsePublicKey(s string) (PublicKey, error) {
	name, raw, err := split(s, "public key", ed25519.PublicKeySize)
	if err != nil {
		return PublicKey{}, err
	}
	return PublicKey{Name: name, Key: ed25519.PublicKey(raw)}, nil
}

// String returns "name:base64(seed‖pub)".
func (k SecretKey) String() string {
	return k.Name + ":" + base64.StdEncoding.EncodeToString(k.Key)
}

// Public returns the key's public half under the same name.
func (k SecretKey) Public() PublicKey {
	return PublicKey{Name: k.Name, Key: k.Key.Public().(ed25519.PublicKey)}
}

// Sign returns the signature of fingerprint as "name:base64".
func (k SecretKey) Sign(fingerprint string) string {
	sig := ed25519.Sign(k.Key, []byte(fingerprint))
	return k.Name + ":" + base64.StdEncoding.EncodeToString(sig)
}

// String returns "name:base64(pub)".
func (k PublicKey) String() string {
	return k.Name + ":" + base64.StdEncoding.EncodeToString(k.Key)
}

// Verify checks one "name:base64" signature of fingerprint made by k. It
// fails if the signature names another key.
func (k PublicKey) Verify(fingerprint, sig string) error {
	name, raw, err := split(sig, "signature", ed25519.SignatureSize)
	if err != nil {
		return err
	}
	if name != k.Name {
		return fmt.Errorf("signature by '%s' checked with key '%s': %w", name, k.Name, ErrBadSignature)
	}
	if !ed25519.Verify(k.Key, []byte(fingerprint), raw) {
		return fmt.Errorf("signature by '%s': %w", name, ErrBadSignature)
	}
	return nil
}

// TrustedKeys is a set of public keys by name, like Nix's
// trusted-public-keys setting.
type TrustedKeys map[string]PublicKey

// ParseTrustedKeys parses white-space-separated public keys.
func ParseTrustedKeys(s string) (TrustedKeys, error) {
	t := TrustedKeys{}
	for _, f := range strings.Fields(s) {
		k, err := ParsePublicKey(f)
		if err != nil {
			return nil, err
		}
		t[k.Name] = k
	}
	return t, nil
}

// Names returns the keys' names, sorted.
func (t TrustedKeys) Names() []string {
	names := make([]string, 0, len(t))
	for n := range t {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Verify reports whether any of sigs is a valid signature of fingerprint
// by a trusted key, and returns that key's name. Signatures by unknown keys
// are skipped, as Nix does; a malformed or wrong signature by a trusted key
// is also skipped, so a cache may carry several signatures of which one
// suffices. The error, when none is valid, says why.
func (t TrustedKeys) Verify(fingerprint string, sigs []string) (string, error) {
	if len(sigs) == 0 {
		return "", fmt.Errorf("no signatures: %w", ErrUntrusted)
	}
	var reasons []string
	for _, s := range sigs {
		name, _, _ := strings.Cut(strings.TrimSpace(s), ":")
		k, ok := t[name]
		if !ok {
			reasons = append(reasons, fmt.Sprintf("'%s' is not a trusted key", name))
			continue
		}
		if err := k.Verify(fingerprint, s); err != nil {
			reasons = append(reasons, err.Error())
			continue
		}
		return name, nil
	}
	return "", fmt.Errorf("%s: %w", strings.Join(reasons, "; "), ErrUntrusted)
}
