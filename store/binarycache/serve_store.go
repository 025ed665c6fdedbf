package binarycache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/frazil/frazil/store/narinfo"
	"github.com/frazil/frazil/store/storepath"
)

// Source is a store that Handler serves as a binary cache.
type Source interface {
	// LookupHashPart returns the metadata of the valid path whose digest is
	// hashPart as a narinfo without URL, compression or file fields, or an
	// error wrapping ErrNotFound.
	LookupHashPart(ctx context.Context, hashPart string) (*narinfo.NarInfo, error)
	// DumpPath writes the NAR serialisation of a valid path to w.
	DumpPath(ctx context.Context, p storepath.Path, w io.Writer) error
}

// The NARs of a served store are named nar/<hashpart>-<nix32 NAR hash>.nar
// plus the compression's suffix: the hash part finds the path, and the NAR
// hash makes a URL for old contents 404 instead of serving other bytes.
func storeNARName(ni *narinfo.NarInfo, compression string) string {
	return "nar/" + ni.StorePath.HashPart() + "-" + ni.NarHash.Nix32() + Ext(compression)
}

// serveFromStore answers narinfo and NAR requests from the store; it
// reports false, having written nothing, for what the store does not have.
func (h *Handler) serveFromStore(w http.ResponseWriter, r *http.Request, name string) bool {
	if hashPart, ok := strings.CutSuffix(name, ".narinfo"); ok && isHashPart(hashPart) {
		return h.serveStoreNarInfo(w, r, hashPart)
	}
	if rest, ok := strings.CutPrefix(name, "nar/"); ok {
		return h.serveStoreNAR(w, r, rest)
	}
	return false
}

func isHashPart(s string) bool {
	if len(s) != storepath.DigestLen {
		return false
	}
	_, err := storepath.FromBase(s + "-x")
	return err == nil
}

// storeNarInfo looks a path up and completes its narinfo for serving.
func (h *Handler) storeNarInfo(ctx context.Context, hashPart string) (*narinfo.NarInfo, error) {
	ni, err := h.opts.Store.LookupHashPart(ctx, hashPart)
	if err != nil {
		return nil, err
	}
	ni.Compression = h.opts.Compression
	ni.URL = storeNARName(ni, h.opts.Compression)
	if h.opts.Compression == None {
		// The file is the NAR itself, so its hash and size are known.
		ni.FileHash, ni.FileSize = ni.NarHash, ni.NarSize
	}
	if h.opts.SecretKey != nil {
		fp, err := ni.Fingerprint()
		if err != nil {
			return nil, err
		}
		ni.Sigs = append(ni.Sigs, h.opts.SecretKey.Sign(fp))
	}
	return ni, nil
}

func (h *Handler) serveStoreNarInfo(w http.ResponseWriter, r *http.Request, hashPart string) bool {
	ni, err := h.storeNarInfo(r.Context(), hashPart)
	if errors.Is(err, ErrNotFound) {
		return false
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return true
	}
	serveBytes(w, r, narinfo.MIMEType, ni.Bytes())
	return true
}

// serveStoreNAR streams a path's NAR, compressed as configured. Only the
// name the path's narinfo gives is served.
func (h *Handler) serveStoreNAR(w http.ResponseWriter, r *http.Request, rest string) bool {
	hashPart, _, ok := strings.Cut(rest, "-")
	if !ok || !isHashPart(hashPart) {
		return false
	}
	ni, err := h.storeNarInfo(r.Context(), hashPart)
	if err != nil || "nar/"+rest != ni.URL {
		return false
	}
	w.Header().Set("Content-Type", "application/x-nix-nar")
	if h.opts.Compression == None {
		w.Header().Set("Content-Length", strconv.FormatUint(ni.NarSize, 10))
	}
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return true
	}
	if err := h.streamNAR(r.Context(), w, ni); err != nil {
		// The status line is gone: all that is left is to cut the
		// response short, which the client sees as a failed download.
		panic(http.ErrAbortHandler)
	}
	return true
}

func (h *Handler) streamNAR(ctx context.Context, w io.Writer, ni *narinfo.NarInfo) error {
	zw, err := NewWriter(h.opts.Compression, w)
	if err != nil {
		return err
	}
	if err := h.opts.Store.DumpPath(ctx, ni.StorePath, zw); err != nil {
		return fmt.Errorf("dump %s: %w", ni.StorePath, err)
	}
	return zw.Close()
}
