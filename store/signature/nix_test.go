package signature

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/store/narinfo"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

// nix runs the reference Nix with the nix-command feature and returns its
// standard output.
func nix(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	testutil.RequireTool(t, "nix", "make setup")
	cmd := exec.Command("nix", append([]string{"--extra-experimental-features", "nix-command"}, args...)...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "NIX_CONFIG=")
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("nix %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	return string(out)
}

// TestNixConvertsOurKey: Nix derives the same public key from a secret key
// made here.
func TestNixConvertsOurKey(t *testing.T) {
	sk, err := Generate("frazil-test-1", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.TrimSpace(nix(t, sk.String(), "key", "convert-secret-to-public"))
	if want := sk.Public().String(); got != want {
		t.Errorf("nix key convert-secret-to-public = %q, want %q", got, want)
	}
}

// TestWeParseNixKey: a key fresh from `nix key generate-secret` parses, and
// its public half is the one Nix computes.
func TestWeParseNixKey(t *testing.T) {
	secret := nix(t, "", "key", "generate-secret", "--key-name", "nix-made-1")
	sk, err := ParseSecretKey(secret)
	if err != nil {
		t.Fatalf("ParseSecretKey(%q): %v", secret, err)
	}
	want := strings.TrimSpace(nix(t, secret, "key", "convert-secret-to-public"))
	if got := sk.Public().String(); got != want {
		t.Errorf("Public() = %q, want Nix's %q", got, want)
	}
}

// TestNixStoreSign: `nix store sign` with a key made here produces exactly
// the signature Sign gives for the path's fingerprint, and it verifies.
func TestNixStoreSign(t *testing.T) {
	sk, err := Generate("frazil-test-2", nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte(sk.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(dir, "src")
	if err := os.WriteFile(src, []byte("signed by frazil\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	st := filepath.Join(dir, "store")
	p := strings.TrimSpace(nix(t, "", "--store", st, "store", "add-file", src))
	nix(t, "", "--store", st, "store", "sign", "--key-file", keyFile, p)
	var infos []struct {
		Path       string   `json:"path"`
		NarHash    string   `json:"narHash"`
		NarSize    uint64   `json:"narSize"`
		References []string `json:"references"`
		Signatures []string `json:"signatures"`
	}
	if err := json.Unmarshal([]byte(nix(t, "", "--store", st, "path-info", "--json", p)), &infos); err != nil || len(infos) != 1 {
		t.Fatalf("path-info: %v (%d infos)", err, len(infos))
	}
	in := infos[0]
	nh, err := nixhash.Parse(in.NarHash, 0)
	if err != nil {
		t.Fatal(err)
	}
	var refs []storepath.Path
	for _, r := range in.References {
		refs = append(refs, storepath.Path(r))
	}
	fp, err := narinfo.Fingerprint(storepath.Path(in.Path), nh, in.NarSize, refs)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Signatures) != 1 || in.Signatures[0] != sk.Sign(fp) {
		t.Errorf("nix store sign gave %q, want [%q]", in.Signatures, sk.Sign(fp))
	}
	if _, err := (TrustedKeys{sk.Name: sk.Public()}).Verify(fp, in.Signatures); err != nil {
		t.Errorf("Verify(Nix's signature): %v", err)
	}
}
