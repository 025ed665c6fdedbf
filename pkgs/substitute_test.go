package pkgs_test

import (
	"bytes"
	"crypto/rand"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frazil/frazil/build"
	"github.com/frazil/frazil/builder"
	"github.com/frazil/frazil/internal/testutil"
	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/binarycache"
	"github.com/frazil/frazil/store/signature"
	"github.com/frazil/frazil/store/storepath"
)

// freshStore opens an empty store.
func freshStore(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestSubstituteFromServe: what one store built, another substitutes from
// it over HTTP (the handler behind `frazil cache serve`, on loopback),
// checking the signatures, instead of building.
func TestSubstituteFromServe(t *testing.T) {
	expr := withPkgs(t, hostSystem, `runCommand "served-`+nonce+`" { } "mkdir -p $out/bin; echo hi > $out/bin/x"`)
	built := mustBuild(t, expr)
	key, err := signature.Generate("test-cache-1", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	h, err := binarycache.NewHandler(binarycache.HandlerOptions{Store: binarycache.NewStoreSource(sharedStore(t)), SecretKey: &key})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	trust := binarycache.Trust{Keys: signature.TrustedKeys{key.Name: key.Public()}}
	sub, err := build.NewCacheSubstituter(srv.URL, trust)
	if err != nil {
		t.Fatal(err)
	}
	s := freshStore(t)
	res, ev, err := buildIn(t, s, expr, build.Options{Builder: builder.Options{Substituters: []builder.Substituter{sub}}})
	if err != nil {
		t.Fatal(err)
	}
	if ev.count(builder.BuildStarted) != 0 || ev.count(builder.SubstituteFinished) != 1 {
		t.Errorf("%d builds, %d substitutions; want 0 and 1", ev.count(builder.BuildStarted), ev.count(builder.SubstituteFinished))
	}
	out := res.Outputs[0].Outputs["out"]
	if out != built[0].Outputs["out"] {
		t.Fatalf("output %s, the serving store built %s", out, built[0].Outputs["out"])
	}
	if b, err := os.ReadFile(filepath.Join(s.RealPath(out), "bin/x")); err != nil || string(b) != "hi\n" {
		t.Errorf("substituted bin/x = %q, %v", b, err)
	}

	// An untrusted key: the path is not imported.
	other, _ := signature.Generate("other-1", rand.Reader)
	untrusted, _ := build.NewCacheSubstituter(srv.URL, binarycache.Trust{Keys: signature.TrustedKeys{other.Name: other.Public()}})
	_, _, err = buildIn(t, freshStore(t), expr, build.Options{Builder: builder.Options{Substituters: []builder.Substituter{untrusted}}})
	if err == nil {
		t.Error("a path signed by an untrusted key was substituted")
	}
}

// nix runs a Nix 2.8 command with a private HOME.
func nix(t *testing.T, name string, args ...string) string {
	t.Helper()
	testutil.RequireTool(t, name, "make setup")
	cmd := exec.Command(name, args...)
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CACHE_HOME="+home, "NIX_CONFIG=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return strings.TrimSpace(string(out))
}

// TestSubstituteFromNixCache: a binary cache written by Nix 2.8 (`nix
// copy --to file://…`, signed) holds a path Nix built from the same
// expression (a buildEnv: builtin:buildenv needs no shell) and a path Nix
// added (`nix-store --add-fixed`, the output of a fixed-output
// derivation). Frazil evaluates the same derivations and substitutes both
// instead of building them.
func TestSubstituteFromNixCache(t *testing.T) {
	testutil.RequireTool(t, "nix-build", "make setup")
	dir := t.TempDir()
	nixStore, cache := filepath.Join(dir, "nix"), filepath.Join(dir, "cache")
	tree := filepath.Join(dir, "tree")
	os.MkdirAll(filepath.Join(tree, "bin"), 0o755)
	os.WriteFile(filepath.Join(tree, "bin", "tool"), []byte("tool "+nonce), 0o755)
	blob := filepath.Join(dir, "blob-"+nonce)
	os.WriteFile(blob, []byte("blob "+nonce), 0o644)
	envExpr := withPkgs(t, hostSystem, `buildEnv { name = "nix-env-`+nonce+`"; paths = [ (builtins.path { path = `+tree+`; name = "tree"; }) ]; }`)
	blobHash := nix(t, "nix-hash", "--type", "sha256", "--flat", "--base32", blob)
	fodExpr := `derivation { name = "blob-` + nonce + `"; system = "builtin"; builder = "builtin:fetchurl"; url = "file:///nonexistent"; outputHashMode = "flat"; outputHashAlgo = "sha256"; outputHash = "` + blobHash + `"; }`

	envOut := nix(t, "nix-build", "--store", nixStore, "--option", "sandbox", "false", "--no-out-link", "-E", envExpr)
	blobPath := nix(t, "nix-store", "--store", nixStore, "--add-fixed", "sha256", blob)
	nix(t, "nix-store", "--generate-binary-cache-key", "nix-cache-1", filepath.Join(dir, "sk"), filepath.Join(dir, "pk"))
	nix(t, "nix", "--extra-experimental-features", "nix-command", "copy", "--store", nixStore,
		"--to", "file://"+cache+"?secret-key="+filepath.Join(dir, "sk"), envOut, blobPath)
	pk, _ := os.ReadFile(filepath.Join(dir, "pk"))
	keys, err := signature.ParseTrustedKeys(string(pk))
	if err != nil {
		t.Fatal(err)
	}
	sub, err := build.NewCacheSubstituter("file://"+cache, binarycache.Trust{Keys: keys})
	if err != nil {
		t.Fatal(err)
	}
	s := freshStore(t)
	for _, tt := range []struct{ name, expr, want string }{{"buildEnv", envExpr, envOut}, {"fixed output", fodExpr, blobPath}} {
		res, ev, err := buildIn(t, s, tt.expr, build.Options{Builder: builder.Options{Substituters: []builder.Substituter{sub}}})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if got := string(res.Outputs[0].Outputs["out"]); got != tt.want || ev.count(builder.BuildStarted) != 0 {
			t.Errorf("%s: output %s after %d builds; want %s substituted", tt.name, got, ev.count(builder.BuildStarted), tt.want)
		}
	}
	if b, err := os.ReadFile(inStore(s.Root(), filepath.Join(s.RealPath(storepath.Path(envOut)), "bin/tool"))); err != nil || string(b) != "tool "+nonce {
		t.Errorf("substituted env: bin/tool = %q, %v", b, err)
	}
}
