// Package binarycache reads and writes Nix binary caches and serves stores
// as binary caches.
//
// A binary cache is a directory tree, local (file://DIR) or behind HTTP
// (http://HOST:PORT/…), laid out as Nix lays it out:
//
//	nix-cache-info               StoreDir, WantMassQuery, Priority
//	<hashpart>.narinfo           one per path: metadata and signatures
//	nar/<filehash>.nar[.xz|.zst] the path's NAR, maybe compressed
//
// A URL may carry settings as a query, like Nix's store URLs:
// ?compression=xz|zstd|none (for writing; xz by default),
// ?secret-key=FILE (sign what is written), ?priority=N and
// ?want-mass-query=true|false (for a nix-cache-info this package creates).
//
// Cache gives file-level access (narinfo, NAR streams, uploads). CopyFrom
// substitutes paths from a cache into a store, verifying signatures
// against trusted keys and letting the store check each NAR's hash and
// size; CopyTo uploads paths keeping the closure invariant (a narinfo is
// written only after its NAR and its references' narinfos). Handler
// serves a store, or a directory cache, over HTTP.
package binarycache

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/frazil/frazil/store/narinfo"
	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/signature"
	"github.com/frazil/frazil/store/storepath"
)

// maxNarInfoSize bounds how much of a narinfo or nix-cache-info is read.
const maxNarInfoSize = 1 << 20

// Cache is an open binary cache.
type Cache struct {
	url         string // as given, without the query
	b           backend
	compression string               // for uploads
	key         *signature.SecretKey // signs uploads when set
	priority    int
	massQuery   bool
}

// Open opens the cache at rawURL: "file://DIR" (DIR absolute or relative
// to the working directory) or "http(s)://HOST[:PORT][/PREFIX]", with an
// optional query of settings (see the package doc).
func Open(rawURL string) (*Cache, error) {
	base, query, _ := strings.Cut(rawURL, "?")
	c := &Cache{url: base, compression: XZ, massQuery: true}
	switch {
	case strings.HasPrefix(base, "file://"):
		dir := strings.TrimPrefix(base, "file://")
		if dir == "" {
			return nil, fmt.Errorf("cache '%s': no directory", rawURL)
		}
		abs, err := filepath.Abs(dir)
		if err != nil {
			return nil, fmt.Errorf("cache '%s': %w", rawURL, err)
		}
		c.b = fileBackend{dir: abs}
	case strings.HasPrefix(base, "http://"), strings.HasPrefix(base, "https://"):
		if _, err := url.Parse(base); err != nil {
			return nil, fmt.Errorf("cache '%s': %w", rawURL, err)
		}
		c.b = newHTTPBackend(base)
	default:
		return nil, fmt.Errorf("cache '%s': unsupported URL (want file://DIR or http://HOST:PORT)", rawURL)
	}
	if err := c.applySettings(query); err != nil {
		return nil, fmt.Errorf("cache '%s': %w", rawURL, err)
	}
	return c, nil
}

// ignoredSettings are Nix store settings that are accepted in a URL but
// have no effect here.
var ignoredSettings = map[string]bool{
	"trusted": true, "parallel-compression": true, "compression-level": true,
	"write-nar-listing": true, "write-debug-info": true, "index-debug-info": true,
	"local-nar-cache": true,
}

func (c *Cache) applySettings(query string) error {
	vals, err := url.ParseQuery(query)
	if err != nil {
		return err
	}
	for k, vs := range vals {
		v := vs[len(vs)-1]
		switch {
		case k == "compression":
			if err := checkWritable(v); err != nil {
				return err
			}
			c.compression = v
		case k == "secret-key":
			sk, err := ReadSecretKeyFile(v)
			if err != nil {
				return err
			}
			c.key = &sk
		case k == "priority":
			n, err := strconv.Atoi(v)
			if err != nil {
				return fmt.Errorf("invalid priority '%s'", v)
			}
			c.priority = n
		case k == "want-mass-query":
			c.massQuery = v == "true" || v == "1"
		case ignoredSettings[k]:
		default:
			return fmt.Errorf("unknown setting '%s'", k)
		}
	}
	return nil
}

// ReadSecretKeyFile reads a secret key file as `nix key generate-secret`
// writes it.
func ReadSecretKeyFile(name string) (signature.SecretKey, error) {
	b, err := os.ReadFile(name)
	if err != nil {
		return signature.SecretKey{}, fmt.Errorf("secret key file: %w", err)
	}
	sk, err := signature.ParseSecretKey(string(b))
	if err != nil {
		return signature.SecretKey{}, fmt.Errorf("secret key file %s: %w", name, err)
	}
	return sk, nil
}

// URL returns the cache's URL without its settings.
func (c *Cache) URL() string { return c.url }

// SetSecretKey makes uploads carry a signature by k (nil: no signing).
func (c *Cache) SetSecretKey(k *signature.SecretKey) { c.key = k }

// SetCompression sets the compression of uploaded NARs.
func (c *Cache) SetCompression(method string) error {
	if err := checkWritable(method); err != nil {
		return err
	}
	c.compression = method
	return nil
}

// Info reads and checks the cache's nix-cache-info. A cache without one
// is an error: it is not a binary cache (or not yet).
func (c *Cache) Info(ctx context.Context) (*narinfo.CacheInfo, error) {
	data, err := c.readSmall(ctx, "nix-cache-info")
	if err != nil {
		return nil, fmt.Errorf("cache %s: %w", c.url, err)
	}
	ci, err := narinfo.ParseCacheInfo(data, c.url+"/nix-cache-info")
	if err != nil {
		return nil, err
	}
	if err := ci.CheckStoreDir(c.url); err != nil {
		return nil, err
	}
	return ci, nil
}

// Init makes the cache usable for uploads: it writes nix-cache-info
// unless one is there already, and checks it otherwise.
func (c *Cache) Init(ctx context.Context) error {
	ok, err := c.b.exists(ctx, "nix-cache-info")
	if err != nil {
		return fmt.Errorf("cache %s: %w", c.url, err)
	}
	if ok {
		_, err := c.Info(ctx)
		return err
	}
	ci := narinfo.CacheInfo{StoreDir: storepath.Dir, WantMassQuery: c.massQuery, Priority: c.priority}
	data := ci.Bytes()
	if err := c.b.put(ctx, "nix-cache-info", bytes.NewReader(data), int64(len(data)), narinfo.CacheInfoMIMEType); err != nil {
		return fmt.Errorf("cache %s: write nix-cache-info: %w", c.url, err)
	}
	return nil
}

func (c *Cache) readSmall(ctx context.Context, name string) ([]byte, error) {
	rc, err := c.b.get(ctx, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxNarInfoSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxNarInfoSize {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, maxNarInfoSize)
	}
	return data, nil
}

func narInfoName(p storepath.Path) string { return p.HashPart() + ".narinfo" }

// NarInfo fetches and parses p's narinfo. A cache without p gives an error
// wrapping ErrNotFound. The narinfo must be for p.
func (c *Cache) NarInfo(ctx context.Context, p storepath.Path) (*narinfo.NarInfo, error) {
	name := narInfoName(p)
	data, err := c.readSmall(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("narinfo of %s in %s: %w", p, c.url, err)
	}
	ni, err := narinfo.Parse(data, c.url+"/"+name)
	if err != nil {
		return nil, err
	}
	if ni.StorePath != p {
		return nil, fmt.Errorf("%s/%s describes %s, not %s", c.url, name, ni.StorePath, p)
	}
	return ni, nil
}

// HasPath reports whether the cache has a narinfo for p.
func (c *Cache) HasPath(ctx context.Context, p storepath.Path) (bool, error) {
	ok, err := c.b.exists(ctx, narInfoName(p))
	if err != nil {
		return false, fmt.Errorf("cache %s: %w", c.url, err)
	}
	return ok, nil
}

// OpenNAR opens the NAR ni describes, decompressed. The compressed stream
// is checked against ni's FileSize and FileHash when they are known: a
// mismatch is an error when the stream reaches its end. (The NAR hash and
// size are the store's to check, as it reads.)
func (c *Cache) OpenNAR(ctx context.Context, ni *narinfo.NarInfo) (io.ReadCloser, error) {
	if !validName(ni.URL) {
		return nil, fmt.Errorf("narinfo of %s: invalid URL '%s'", ni.StorePath, ni.URL)
	}
	raw, err := c.b.get(ctx, ni.URL)
	if err != nil {
		return nil, fmt.Errorf("NAR of %s: %w", ni.StorePath, err)
	}
	checked := &checkedReader{r: raw, what: c.url + "/" + ni.URL, wantSize: ni.FileSize, want: ni.FileHash}
	if !ni.FileHash.IsZero() {
		checked.h = ni.FileHash.Algo.New()
	}
	var src io.Reader = checked
	if ni.Compression != None {
		// Decompressors read a byte at a time; without a buffer each
		// byte would be a read of the file or connection.
		src = bufio.NewReaderSize(checked, 64<<10)
	}
	dec, err := NewReader(ni.Compression, src)
	if err != nil {
		raw.Close()
		return nil, fmt.Errorf("NAR of %s: %w", ni.StorePath, err)
	}
	return &narReader{dec: dec, raw: raw, checked: checked, path: ni.StorePath, url: checked.what}, nil
}

// checkedReader counts and hashes what it reads and, at EOF, compares with
// the expected size and hash.
type checkedReader struct {
	r        io.Reader
	what     string
	h        hash.Hash
	n        uint64
	wantSize uint64
	want     nixhash.Hash
}

func (c *checkedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += uint64(n)
	if c.h != nil {
		c.h.Write(p[:n])
	}
	if err == io.EOF {
		if c.wantSize != 0 && c.n != c.wantSize {
			return n, fmt.Errorf("%s is %d bytes, narinfo says FileSize %d", c.what, c.n, c.wantSize)
		}
		if c.h != nil {
			if got := (nixhash.Hash{Algo: c.want.Algo, Digest: c.h.Sum(nil)}); !got.Equal(c.want) {
				return n, fmt.Errorf("%s has hash %s, narinfo says FileHash %s", c.what, got, c.want)
			}
		}
	}
	return n, err
}

// narReader is the decompressed NAR stream. Errors name the path and URL.
// Its end comes only after the whole compressed file was read and checked
// (a decompressor may stop before the file's trailer).
type narReader struct {
	dec     io.ReadCloser
	raw     io.Closer
	checked io.Reader
	path    storepath.Path
	url     string
}

func (r *narReader) Read(p []byte) (int, error) {
	n, err := r.dec.Read(p)
	if err == io.EOF {
		if _, derr := io.Copy(io.Discard, r.checked); derr != nil {
			err = derr
		}
	}
	if err != nil && err != io.EOF {
		err = fmt.Errorf("NAR of %s from %s: %w", r.path, r.url, err)
	}
	return n, err
}

func (r *narReader) Close() error {
	err := r.dec.Close()
	if err2 := r.raw.Close(); err == nil {
		err = err2
	}
	return err
}

// PutPath uploads one path described by info, whose URL, Compression,
// FileHash and FileSize it fills in on a copy that it returns. It
// compresses nar (which must hash to info.NarHash and be info.NarSize bytes
// long) into nar/<filehash>.<ext>,
// then writes the narinfo, signed with the cache's key if it has one. The
// caller uploads references first (see CopyTo). The NAR is staged in a
// temporary file so that its file hash, which names it, is known first.
func (c *Cache) PutPath(ctx context.Context, info *narinfo.NarInfo, nar io.Reader) (*narinfo.NarInfo, error) {
	ni := *info
	tmp, err := os.CreateTemp("", "frazil-nar-")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := c.compressNAR(&ni, nar, tmp); err != nil {
		return nil, fmt.Errorf("upload %s to %s: %w", ni.StorePath, c.url, err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	if ok, err := c.b.exists(ctx, ni.URL); err != nil || !ok {
		if err := c.b.put(ctx, ni.URL, tmp, int64(ni.FileSize), "application/x-nix-nar"); err != nil {
			return nil, fmt.Errorf("upload %s to %s: %w", ni.StorePath, c.url, err)
		}
	}
	if c.key != nil {
		fp, err := ni.Fingerprint()
		if err != nil {
			return nil, err
		}
		ni.Sigs = append(append([]string(nil), ni.Sigs...), c.key.Sign(fp))
	}
	text := ni.Bytes()
	if err := c.b.put(ctx, narInfoName(ni.StorePath), bytes.NewReader(text), int64(len(text)), narinfo.MIMEType); err != nil {
		return nil, fmt.Errorf("upload narinfo of %s to %s: %w", ni.StorePath, c.url, err)
	}
	return &ni, nil
}

// compressNAR copies nar compressed into w, checks the NAR's hash and size
// and fills in ni's URL, Compression, FileHash and FileSize.
func (c *Cache) compressNAR(ni *narinfo.NarInfo, nar io.Reader, w io.Writer) error {
	if ni.NarHash.Algo != nixhash.SHA256 {
		return errors.New("NAR hash is not SHA-256")
	}
	fileHash := sha256.New()
	counted := &countWriter{w: io.MultiWriter(w, fileHash)}
	zw, err := NewWriter(c.compression, counted)
	if err != nil {
		return err
	}
	narHash := sha256.New()
	n, err := io.Copy(io.MultiWriter(zw, narHash), nar)
	if err != nil {
		return fmt.Errorf("read NAR: %w", err)
	}
	if err := zw.Close(); err != nil {
		return err
	}
	got := nixhash.Hash{Algo: nixhash.SHA256, Digest: narHash.Sum(nil)}
	if uint64(n) != ni.NarSize || !got.Equal(ni.NarHash) {
		return fmt.Errorf("NAR is %d bytes with hash %s, want %d bytes with hash %s", n, got, ni.NarSize, ni.NarHash)
	}
	ni.Compression = c.compression
	ni.FileHash = nixhash.Hash{Algo: nixhash.SHA256, Digest: fileHash.Sum(nil)}
	ni.FileSize = counted.n
	ni.URL = "nar/" + ni.FileHash.Nix32() + Ext(c.compression)
	return nil
}

type countWriter struct {
	w io.Writer
	n uint64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += uint64(n)
	return n, err
}
