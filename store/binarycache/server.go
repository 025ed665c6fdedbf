package binarycache

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/frazil/frazil/store/narinfo"
	"github.com/frazil/frazil/store/signature"
	"github.com/frazil/frazil/store/storepath"
)

// HandlerOptions says what a Handler serves.
type HandlerOptions struct {
	// Store, if set, is served as a binary cache: narinfo files are made
	// from its database (signed with SecretKey when set) and NARs are
	// dumped and compressed as they are sent.
	Store Source
	// Dir, if set, is a directory cache (as CopyTo to file://Dir writes
	// it) served for whatever Store does not have.
	Dir string
	// AllowUpload accepts PUT requests into Dir, so that CopyTo (and
	// `nix copy --to`) can upload to this server.
	AllowUpload bool
	// SecretKey signs the narinfo files made from Store.
	SecretKey *signature.SecretKey
	// Compression of NARs served from Store: none (the default; narinfo
	// files then carry FileHash and FileSize), xz or zstd.
	Compression string
	// Priority is announced in nix-cache-info (0: not announced).
	Priority int
	// MaxUploadSize bounds one uploaded file (0: 8 GiB).
	MaxUploadSize int64
}

// Handler serves a binary cache over HTTP: GET and HEAD of nix-cache-info,
// <hashpart>.narinfo and nar/… files; 404 for anything it does not have;
// PUT into a directory cache when allowed.
type Handler struct {
	opts HandlerOptions
}

// NewHandler returns a handler serving what opts says.
func NewHandler(opts HandlerOptions) (*Handler, error) {
	if opts.Store == nil && opts.Dir == "" {
		return nil, errors.New("binary cache server: nothing to serve (need a store or a directory)")
	}
	if opts.AllowUpload && opts.Dir == "" {
		return nil, errors.New("binary cache server: uploads need a directory")
	}
	if opts.Compression == "" {
		opts.Compression = None
	}
	if err := checkWritable(opts.Compression); err != nil {
		return nil, err
	}
	if opts.MaxUploadSize == 0 {
		opts.MaxUploadSize = 8 << 30
	}
	if opts.Dir != "" {
		if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
			return nil, fmt.Errorf("binary cache server: %w", err)
		}
	}
	return &Handler{opts: opts}, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.get(w, r, name)
	case http.MethodPut:
		h.put(w, r, name)
	default:
		w.Header().Set("Allow", "GET, HEAD, PUT")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (h *Handler) get(w http.ResponseWriter, r *http.Request, name string) {
	if !validName(name) {
		http.NotFound(w, r)
		return
	}
	if name == "nix-cache-info" && h.opts.Store != nil {
		ci := narinfo.CacheInfo{StoreDir: storepath.Dir, WantMassQuery: true, Priority: h.opts.Priority}
		serveBytes(w, r, narinfo.CacheInfoMIMEType, ci.Bytes())
		return
	}
	if h.opts.Store != nil && h.serveFromStore(w, r, name) {
		return
	}
	if h.opts.Dir != "" && h.serveFromDir(w, r, name) {
		return
	}
	http.NotFound(w, r)
}

// contentType returns the MIME type of a cache file by its name.
func contentType(name string) string {
	switch {
	case name == "nix-cache-info":
		return narinfo.CacheInfoMIMEType
	case strings.HasSuffix(name, ".narinfo"):
		return narinfo.MIMEType
	case strings.HasPrefix(name, "nar/"):
		return "application/x-nix-nar"
	case strings.HasPrefix(name, "log/"):
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}

func serveBytes(w http.ResponseWriter, r *http.Request, ctype string, data []byte) {
	w.Header().Set("Content-Type", ctype)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// serveFromDir serves a file of the directory cache; it reports false,
// having written nothing, when there is no such file.
func (h *Handler) serveFromDir(w http.ResponseWriter, r *http.Request, name string) bool {
	f, err := os.Open(filepath.Join(h.opts.Dir, filepath.FromSlash(name)))
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	w.Header().Set("Content-Type", contentType(name))
	http.ServeContent(w, r, "", st.ModTime(), f)
	return true
}

// put stores an uploaded file in the directory cache. A narinfo must parse
// and describe the path its name says; files are written atomically.
func (h *Handler) put(w http.ResponseWriter, r *http.Request, name string) {
	if !h.opts.AllowUpload {
		http.Error(w, "uploads are not enabled on this cache", http.StatusForbidden)
		return
	}
	if !validName(name) {
		http.Error(w, "invalid file name", http.StatusBadRequest)
		return
	}
	body := http.MaxBytesReader(w, r.Body, h.opts.MaxUploadSize)
	var src io.Reader = body
	if strings.HasSuffix(name, ".narinfo") || name == "nix-cache-info" {
		data, err := io.ReadAll(io.LimitReader(body, maxNarInfoSize+1))
		if err != nil || len(data) > maxNarInfoSize {
			http.Error(w, "upload too large or unreadable", http.StatusBadRequest)
			return
		}
		if err := checkUploadedMeta(name, data); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		src = bytes.NewReader(data)
	}
	if err := writeFileAtomic(filepath.Join(h.opts.Dir, filepath.FromSlash(name)), src); err != nil {
		http.Error(w, "cannot store "+name, http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// checkUploadedMeta rejects a narinfo or nix-cache-info that would make the
// cache unreadable.
func checkUploadedMeta(name string, data []byte) error {
	if name == "nix-cache-info" {
		ci, err := narinfo.ParseCacheInfo(data, name)
		if err != nil {
			return err
		}
		return ci.CheckStoreDir("this cache")
	}
	ni, err := narinfo.Parse(data, name)
	if err != nil {
		return err
	}
	if want := strings.TrimSuffix(name, ".narinfo"); ni.StorePath.HashPart() != want {
		return fmt.Errorf("%s describes %s", name, ni.StorePath)
	}
	return nil
}

// LogRequests wraps h so that every request is logged to w, one line each:
// remote address, method, path, status, bytes sent and duration.
func LogRequests(h http.Handler, w io.Writer) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		lw := &logWriter{ResponseWriter: rw, status: http.StatusOK}
		defer func() {
			note := ""
			if v := recover(); v != nil {
				note = " aborted"
				defer panic(v) // net/http handles http.ErrAbortHandler
			}
			fmt.Fprintf(w, "%s %s %s %d %d %s%s\n", r.RemoteAddr, r.Method, r.URL.Path, lw.status, lw.n,
				time.Since(start).Round(time.Microsecond), note)
		}()
		h.ServeHTTP(lw, r)
	})
}

type logWriter struct {
	http.ResponseWriter
	status int
	n      int64
}

func (l *logWriter) WriteHeader(code int) {
	l.status = code
	l.ResponseWriter.WriteHeader(code)
}

func (l *logWriter) Write(p []byte) (int, error) {
	n, err := l.ResponseWriter.Write(p)
	l.n += int64(n)
	return n, err
}

// Flush lets streamed NARs reach the client as they are made.
func (l *logWriter) Flush() {
	if f, ok := l.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
