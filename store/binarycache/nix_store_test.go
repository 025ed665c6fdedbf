package binarycache

// Differential tests against Nix 2.8 through real stores: Nix copies from
// our server serving our store, and CopyFrom imports caches Nix wrote into
// our store; the path infos on both sides must agree.

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/signature"
	"github.com/frazil/frazil/store/storepath"
)

// compareWithNix checks that Nix's store st and our store s record the
// same NAR hash, size, references, deriver and content address for paths.
func compareWithNix(t *testing.T, st string, s *store.Store, paths []storepath.Path) {
	t.Helper()
	theirs := pathInfos(t, st, paths...)
	for _, p := range paths {
		ours, err := s.QueryPathInfo(p)
		if err != nil {
			t.Errorf("our store: %v", err)
			continue
		}
		in, ok := theirs[p]
		if !ok {
			t.Errorf("Nix's store lacks %s", p)
			continue
		}
		h, err := nixhash.Parse(in.NarHash, 0)
		if err != nil || !h.Equal(ours.NarHash) || in.NarSize != ours.NarSize {
			t.Errorf("%s: Nix has %s (%d), we have %s (%d)", p, in.NarHash, in.NarSize, ours.NarHash.SRI(), ours.NarSize)
		}
		refs := pathStrings(ours.References)
		sort.Strings(refs)
		if strings.Join(in.References, " ") != strings.Join(refs, " ") {
			t.Errorf("%s: Nix has references %v, we have %v", p, in.References, refs)
		}
		if in.Deriver != string(ours.Deriver) || in.CA != ours.CA.String() {
			t.Errorf("%s: Nix has deriver %q ca %q, we have %q %q", p, in.Deriver, in.CA, ours.Deriver, ours.CA)
		}
	}
}

// TestNixCopiesFromOurStoreServer is differential test (a): our server
// serves our store; `nix copy --from http://127.0.0.1:PORT` with our public
// key fetches and verifies the paths, and records what we record.
func TestNixCopiesFromOurStoreServer(t *testing.T) {
	s := openStore(t)
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "a.txt"), []byte("hi\n"), 0o644)
	os.MkdirAll(filepath.Join(src, "sub"), 0o755)
	os.WriteFile(filepath.Join(src, "sub/run"), []byte("#!/bin/sh\n"), 0o755)
	os.Symlink("a.txt", filepath.Join(src, "link"))
	tree, err := s.AddTree(src, "srcdir", storepath.Recursive, nil)
	if err != nil {
		t.Fatal(err)
	}
	text, err := s.AddText("uses-tree.txt", []byte("see "+string(tree.Path)), []storepath.Path{tree.Path})
	if err != nil {
		t.Fatal(err)
	}
	fx := closureFixture(t, "served")
	addAll(t, s, fx...)
	top := makeIAPath(t, "served-top", "uses "+string(text)+" and "+string(fx[2].info.StorePath), text, fx[2].info.StorePath)
	addAll(t, s, top)
	sk, _ := signature.Generate("frazil-store-1", nil)
	for _, comp := range []string{None, XZ, Zstd} {
		t.Run(comp, func(t *testing.T) {
			h, err := NewHandler(HandlerOptions{Store: NewStoreSource(s), SecretKey: &sk, Compression: comp})
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(h)
			defer srv.Close()
			st := filepath.Join(t.TempDir(), "st")
			mustNix(t, "--store", st, "copy", "--from", srv.URL,
				"--option", "trusted-public-keys", sk.Public().String(), string(top.info.StorePath))
			closure, err := s.Closure([]storepath.Path{top.info.StorePath})
			if err != nil {
				t.Fatal(err)
			}
			if len(closure) != 6 { // served-top, text, tree, top, mid, leaf
				t.Fatalf("closure has %d paths, want 6", len(closure))
			}
			compareWithNix(t, st, s, closure)
			mustNix(t, "--store", st, "store", "verify", "--all", "--option", "trusted-public-keys", sk.Public().String())
		})
	}
	if tree.Path != "/nix/store/yw2fmvwj39pywaiyi8z4y74mdyp4zzgm-srcdir" {
		t.Errorf("tree added as %s, want NIXOS.md's srcdir vector", tree.Path)
	}
}

// nixCacheWithIA extends nixCache with a path that is not
// content-addressed (so only its Nix-made signature makes it trusted),
// with a deriver and references, imported into Nix's store and signed
// there before `nix copy --to`.
func nixCacheWithIA(t *testing.T, comp string) (dir string, sk signature.SecretKey, top storepath.Path, st string) {
	t.Helper()
	tmp := t.TempDir()
	st = filepath.Join(tmp, "st")
	secret := mustNix(t, "key", "generate-secret", "--key-name", "nix-ia-1")
	sk, err := signature.ParseSecretKey(secret)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(tmp, "sk")
	os.WriteFile(keyFile, []byte(secret), 0o600)
	src := filepath.Join(tmp, "src")
	os.WriteFile(src, []byte("a file added by nix\n"), 0o644)
	leaf := storepath.Path(strings.TrimSpace(mustNix(t, "--store", st, "store", "add-file", src)))
	// An input-addressed path referring to leaf and itself, staged in an
	// unsigned cache of ours and imported by Nix with --no-check-sigs.
	ia := makeIAPath(t, "ia-"+comp, "refers to "+string(leaf), leaf)
	ia.info.References = append(ia.info.References, ia.info.StorePath)
	staging, err := Open("file://" + filepath.Join(tmp, "staging") + "?compression=none")
	if err != nil {
		t.Fatal(err)
	}
	staging.Init(context.Background())
	mustNix(t, "--store", st, "copy", "--to", staging.URL(), string(leaf)) // nix copy --from wants the closure
	if _, err := staging.PutPath(context.Background(), ia.info, bytes.NewReader(ia.nar)); err != nil {
		t.Fatal(err)
	}
	mustNix(t, "--store", st, "copy", "--no-check-sigs", "--from", staging.URL(), string(ia.info.StorePath))
	mustNix(t, "--store", st, "store", "sign", "--key-file", keyFile, "--recursive", string(ia.info.StorePath))
	dir = filepath.Join(tmp, "cache")
	mustNix(t, "--store", st, "copy", "--to", "file://"+dir+"?compression="+comp, string(ia.info.StorePath))
	return dir, sk, ia.info.StorePath, st
}

// TestCopyFromNixCache is differential test (b): CopyFrom imports caches
// written by `nix copy --to file://` (xz, zstd, none) and signed by `nix
// store sign`, into our store, which then records what Nix recorded.
func TestCopyFromNixCache(t *testing.T) {
	ctx := context.Background()
	for _, comp := range []string{XZ, Zstd, None} {
		t.Run(comp, func(t *testing.T) {
			dir, sk, top, st := nixCacheWithIA(t, comp)
			c, err := Open("file://" + dir)
			if err != nil {
				t.Fatal(err)
			}
			s := openStore(t)
			// Another key: the input-addressed path must be refused.
			other, _ := signature.Generate("other-1", nil)
			_, err = CopyFrom(ctx, c, s, []storepath.Path{top}, CopyOptions{Trust: Trust{Keys: signature.TrustedKeys{"other-1": other.Public()}}})
			if err == nil || !strings.Contains(err.Error(), "'nix-ia-1' is not a trusted key") {
				t.Errorf("CopyFrom with the wrong key: %v, want an untrusted-key error", err)
			}
			if ok, _ := s.IsValid(top); ok {
				t.Error("untrusted path registered")
			}
			added, err := CopyFrom(ctx, c, s, []storepath.Path{top}, CopyOptions{Trust: Trust{Keys: signature.TrustedKeys{sk.Name: sk.Public()}}})
			if err != nil {
				t.Fatal(err)
			}
			// The refused try stopped at planning, before any download.
			if len(added) != 2 || added[1] != top {
				t.Errorf("added %v, want the reference, then %s", added, top)
			}
			closure, _ := s.Closure([]storepath.Path{top})
			compareWithNix(t, st, s, closure)
			checkStoreOK(t, s)
			info, _ := s.QueryPathInfo(top)
			if len(info.Signatures) != 1 || !strings.HasPrefix(info.Signatures[0], "nix-ia-1:") {
				t.Errorf("signatures %v, want Nix's", info.Signatures)
			}
		})
	}
}

// TestCopyFromNixCacheTextClosure imports the text-file closure of
// nixCache (content-addressed: no key needed) into our store.
func TestCopyFromNixCacheTextClosure(t *testing.T) {
	dir, _, top := nixCache(t, XZ)
	c, err := Open("file://" + dir)
	if err != nil {
		t.Fatal(err)
	}
	s := openStore(t)
	added, err := CopyFrom(context.Background(), c, s, []storepath.Path{top}, CopyOptions{Trust: Trust{Keys: signature.TrustedKeys{}}})
	if err != nil || len(added) != 3 {
		t.Fatalf("CopyFrom = %v, %v; want 3 content-addressed paths without a key", added, err)
	}
	checkStoreOK(t, s)
}
