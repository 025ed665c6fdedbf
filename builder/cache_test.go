package builder

import (
	"context"
	"crypto/rand"
	"errors"
	"path/filepath"
	"testing"

	"github.com/frazil/frazil/store/binarycache"
	"github.com/frazil/frazil/store/signature"
	"github.com/frazil/frazil/store/storepath"
)

// TestCacheSubstituter builds a derivation in one store, pushes the
// outputs to a file:// binary cache signed with a key, and realises the
// same derivation in a second store that trusts the key: it is
// substituted, not built. A store trusting another key builds it.
func TestCacheSubstituter(t *testing.T) {
	a := newTestEnv(t)
	lib := a.drv(spec{name: "lib", args: []string{"mkdir", "$out", "write", "$out/f", "lib"}})
	app := a.drv(spec{name: "app", inputs: map[string][]string{string(lib): {"out"}}, env: map[string]string{"lib": string(a.out(lib))},
		args: []string{"mkdir", "$out", "write", "$out/f", "uses $lib"}})
	if _, _, err := a.realise(Options{}, app); err != nil {
		t.Fatal(err)
	}
	key, err := signature.Generate("test-1", rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cache, err := binarycache.Open("file://" + filepath.Join(t.TempDir(), "cache"))
	if err != nil {
		t.Fatal(err)
	}
	cache.SetSecretKey(&key)
	if err := cache.Init(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := binarycache.CopyTo(context.Background(), a.s, cache, []storepath.Path{a.out(app)}, binarycache.CopyOptions{}); err != nil {
		t.Fatal(err)
	}

	trusted := signature.TrustedKeys{"test-1": key.Public()}
	b := newTestEnv(t)
	if b.drv(spec{name: "lib", args: []string{"mkdir", "$out", "write", "$out/f", "lib"}}) != lib {
		t.Fatal("test premise: same derivations in both stores")
	}
	b.drv(spec{name: "app", inputs: map[string][]string{string(lib): {"out"}}, env: map[string]string{"lib": string(a.out(lib))},
		args: []string{"mkdir", "$out", "write", "$out/f", "uses $lib"}})
	sub := &CacheSubstituter{Cache: cache, Trust: binarycache.Trust{Keys: trusted}}
	_, rec, err := b.realise(Options{Substituters: []Substituter{sub}}, app)
	if err != nil {
		t.Fatal(err)
	}
	if rec.count(BuildStarted) != 0 || rec.count(SubstituteFinished) != 1 {
		t.Errorf("%d builds, %d substitutions; want 0 and 1", rec.count(BuildStarted), rec.count(SubstituteFinished))
	}
	if got := b.read(b.out(app), "f"); got != "uses "+string(a.out(lib)) {
		t.Errorf("substituted output = %q", got)
	}
	if ok, _ := b.s.IsValid(b.out(lib)); !ok {
		t.Errorf("reference of the substituted output is not valid")
	}

	other, _ := signature.Generate("other-1", rand.Reader)
	c := newTestEnv(t)
	c.drv(spec{name: "lib", args: []string{"mkdir", "$out", "write", "$out/f", "lib"}})
	c.drv(spec{name: "app", inputs: map[string][]string{string(lib): {"out"}}, env: map[string]string{"lib": string(a.out(lib))},
		args: []string{"mkdir", "$out", "write", "$out/f", "uses $lib"}})
	untrusting := &CacheSubstituter{Cache: cache, Trust: binarycache.Trust{Keys: signature.TrustedKeys{"other-1": other.Public()}}}
	_, _, err = c.realise(Options{Substituters: []Substituter{untrusting}}, app)
	if !errors.Is(err, binarycache.ErrUntrusted) {
		t.Errorf("substituting unsigned paths: error %v, want ErrUntrusted", err)
	}
}
