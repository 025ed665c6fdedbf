package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/store/signature"
)

func TestKeyGenerateFiles(t *testing.T) {
	dir := t.TempDir()
	sf, pf := filepath.Join(dir, "sk"), filepath.Join(dir, "pk")
	var out, errOut bytes.Buffer
	if err := keyMain([]string{"generate", "--name", "c-1", "--secret-key-file", sf, "--public-key-file", pf}, nil, &out, &errOut); err != nil {
		t.Fatalf("generate: %v (%s)", err, errOut.String())
	}
	if out.Len() != 0 {
		t.Errorf("stdout = %q, want nothing when writing files", out.String())
	}
	sb, _ := os.ReadFile(sf)
	pb, _ := os.ReadFile(pf)
	sk, err := signature.ParseSecretKey(string(sb))
	if err != nil {
		t.Fatal(err)
	}
	if sk.Name != "c-1" || sk.Public().String() != string(pb) {
		t.Errorf("files hold %q / %q, want a c-1 pair", sb, pb)
	}
	if st, _ := os.Stat(sf); st.Mode().Perm() != 0o600 {
		t.Errorf("secret key mode %v, want 0600", st.Mode().Perm())
	}
	// keys are never overwritten
	err = keyMain([]string{"generate", "--name", "c-2", "--secret-key-file", sf}, nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("generate over an existing file: %v, want 'already exists'", err)
	}
	if again, _ := os.ReadFile(sf); !bytes.Equal(again, sb) {
		t.Error("existing secret key file was changed")
	}
}

func TestKeyGenerateStdoutAndPublic(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := keyMain([]string{"generate", "--name", "c-1"}, nil, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	secret := out.String()
	sk, err := signature.ParseSecretKey(secret)
	if err != nil {
		t.Fatalf("stdout %q is not a secret key: %v", secret, err)
	}
	out.Reset()
	if err := keyMain([]string{"public"}, strings.NewReader(secret), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if out.String() != sk.Public().String() {
		t.Errorf("public = %q, want %q", out.String(), sk.Public().String())
	}
	// Nix agrees on the public half.
	if _, err := exec.LookPath("nix"); err != nil {
		testutil.Missing(t, "nix not found in PATH (make setup)")
	}
	cmd := exec.Command("nix", "--extra-experimental-features", "nix-command", "key", "convert-secret-to-public")
	cmd.Stdin = strings.NewReader(secret)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	nixOut, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(nixOut)) != out.String() {
		t.Errorf("nix says %q, we say %q", nixOut, out.String())
	}
}

func TestKeyUsageErrors(t *testing.T) {
	tests := [][]string{
		nil,
		{"frobnicate"},
		{"generate"},
		{"generate", "--name", "x", "extra"},
		{"generate", "--bogus"},
	}
	for _, args := range tests {
		var out, errOut bytes.Buffer
		if err := keyMain(args, nil, &out, &errOut); !errors.Is(err, errUsage) {
			t.Errorf("key %v: %v, want errUsage", args, err)
		}
	}
	var out, errOut bytes.Buffer
	if err := keyMain([]string{"public"}, strings.NewReader("garbage"), &out, &errOut); err == nil || errors.Is(err, errUsage) {
		t.Errorf("public of garbage: %v, want a key error", err)
	}
	if err := keyMain([]string{"generate", "--name", "a:b"}, nil, &out, &errOut); err == nil {
		t.Error("generate with a colon in the name succeeded")
	}
}
