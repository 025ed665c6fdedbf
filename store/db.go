package store

// This file defines the database: a bbolt file at
// R/nix/var/nix/db/frazil.db with these buckets (all keys and values are
// strings of bytes):
//
//	meta        "schema" -> "frazil-1"
//	info        store path -> JSON record (dbRecord): NAR hash and size,
//	            deriver, registration time, signatures, CA, ultimate
//	refs        store path -> its references, sorted, '\n'-separated
//	referrers   reference + "\x00" + referrer -> ""   (index of refs)
//	drvoutputs  drv path + "\x00" + output name -> output path
//
// A path is valid iff it has an info record. The refs and referrers buckets
// always agree; putPath and deletePath maintain both.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/frazil/frazil/store/nixhash"
	"github.com/frazil/frazil/store/storepath"
)

const schemaVersion = "frazil-1"

var (
	bucketMeta       = []byte("meta")
	bucketInfo       = []byte("info")
	bucketRefs       = []byte("refs")
	bucketReferrers  = []byte("referrers")
	bucketDrvOutputs = []byte("drvoutputs")
)

// dbRecord is the JSON form of a path's info in the info bucket.
type dbRecord struct {
	NarHash          string   `json:"narHash"` // "sha256:<nix32>"
	NarSize          uint64   `json:"narSize"`
	Deriver          string   `json:"deriver,omitempty"`
	RegistrationTime int64    `json:"registrationTime"` // unix seconds
	Signatures       []string `json:"signatures,omitempty"`
	CA               string   `json:"ca,omitempty"`
	Ultimate         bool     `json:"ultimate,omitempty"`
}

func (s *Store) initDB() error {
	return s.update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMeta, bucketInfo, bucketRefs, bucketReferrers, bucketDrvOutputs} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		meta := tx.Bucket(bucketMeta)
		switch v := meta.Get([]byte("schema")); {
		case v == nil:
			return meta.Put([]byte("schema"), []byte(schemaVersion))
		case string(v) != schemaVersion:
			return fmt.Errorf("database %s has schema %q, want %q", s.dbPath, v, schemaVersion)
		}
		return nil
	})
}

// view runs fn in a read-only transaction.
func (s *Store) view(fn func(tx *bolt.Tx) error) error {
	s.db.mu.RLock()
	defer s.db.mu.RUnlock()
	db, err := s.db.get(false)
	if err != nil {
		return err
	}
	defer s.db.idle()
	return db.View(fn)
}

// update runs fn in a read-write transaction, committed (and synced) when
// fn returns nil.
func (s *Store) update(fn func(tx *bolt.Tx) error) error {
	s.db.mu.Lock()
	defer s.db.mu.Unlock()
	db, err := s.db.get(true)
	if err != nil {
		return err
	}
	defer s.db.idle()
	return db.Update(fn)
}

// dbIdleTime is how long an unused database handle stays open. bbolt
// holds a file lock while open (shared when read-only, exclusive when
// writable), so handles are closed soon after a burst of operations to let
// other processes in; keeping them for a burst saves an open, mmap and
// munmap (~0.3 ms) per query.
const dbIdleTime = 20 * time.Millisecond

// dbHandle is a process's shared, lazily opened handle on one database
// file. mu is held shared by views and exclusively by updates and by
// closing; hmu guards the fields.
type dbHandle struct {
	path  string
	mu    sync.RWMutex
	hmu   sync.Mutex
	db    *bolt.DB
	rw    bool
	timer *time.Timer
}

var (
	dbHandlesMu sync.Mutex
	dbHandles   = map[string]*dbHandle{}
)

func handleFor(path string) *dbHandle {
	dbHandlesMu.Lock()
	defer dbHandlesMu.Unlock()
	h := dbHandles[path]
	if h == nil {
		h = &dbHandle{path: path}
		dbHandles[path] = h
	}
	return h
}

// get returns an open handle, writable if rw. The caller holds mu (shared
// for !rw, exclusive for rw).
func (h *dbHandle) get(rw bool) (*bolt.DB, error) {
	h.hmu.Lock()
	defer h.hmu.Unlock()
	if h.timer != nil {
		h.timer.Stop()
	}
	if h.db != nil && (h.rw || !rw) {
		return h.db, nil
	}
	if h.db != nil { // read-only, and a write is wanted: mu is exclusive
		h.db.Close()
		h.db = nil
	}
	db, err := bolt.Open(h.path, 0o644, &bolt.Options{ReadOnly: !rw})
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", h.path, err)
	}
	h.db, h.rw = db, rw
	return db, nil
}

// idle arms the timer that closes the handle once nobody uses it.
func (h *dbHandle) idle() {
	h.hmu.Lock()
	defer h.hmu.Unlock()
	if h.timer == nil {
		h.timer = time.AfterFunc(dbIdleTime, h.close)
	} else {
		h.timer.Reset(dbIdleTime)
	}
}

// close closes the handle, waiting for operations using it.
func (h *dbHandle) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hmu.Lock()
	defer h.hmu.Unlock()
	if h.db != nil {
		h.db.Close()
		h.db = nil
	}
}

func isValid(tx *bolt.Tx, p storepath.Path) bool {
	return tx.Bucket(bucketInfo).Get([]byte(p)) != nil
}

// getInfo reads the info of p, or an error wrapping ErrNotValid.
func getInfo(tx *bolt.Tx, p storepath.Path) (*PathInfo, error) {
	v := tx.Bucket(bucketInfo).Get([]byte(p))
	if v == nil {
		return nil, fmt.Errorf("%s: %w", p, ErrNotValid)
	}
	var rec dbRecord
	if err := json.Unmarshal(v, &rec); err != nil {
		return nil, fmt.Errorf("%s: corrupt database record: %w", p, err)
	}
	h, err := nixhash.Parse(rec.NarHash, nixhash.SHA256)
	if err != nil {
		return nil, fmt.Errorf("%s: corrupt database record: %w", p, err)
	}
	ca, err := storepath.ParseContentAddress(rec.CA)
	if err != nil {
		return nil, fmt.Errorf("%s: corrupt database record: %w", p, err)
	}
	return &PathInfo{
		Path:             p,
		NarHash:          h,
		NarSize:          rec.NarSize,
		References:       getRefs(tx, p),
		Deriver:          storepath.Path(rec.Deriver),
		RegistrationTime: time.Unix(rec.RegistrationTime, 0),
		Signatures:       rec.Signatures,
		CA:               ca,
		Ultimate:         rec.Ultimate,
	}, nil
}

// getRefs returns the references of p (nil if p has none or is invalid).
func getRefs(tx *bolt.Tx, p storepath.Path) []storepath.Path {
	v := tx.Bucket(bucketRefs).Get([]byte(p))
	if len(v) == 0 {
		return nil
	}
	n := bytes.Count(v, []byte{'\n'}) + 1
	refs := make([]storepath.Path, 0, n)
	for len(v) > 0 {
		i := bytes.IndexByte(v, '\n')
		if i < 0 {
			i = len(v)
		}
		refs = append(refs, storepath.Path(v[:i]))
		v = v[min(i+1, len(v)):]
	}
	return refs
}

// getReferrers returns the valid paths that refer to p, sorted.
func getReferrers(tx *bolt.Tx, p storepath.Path) []storepath.Path {
	prefix := append([]byte(p), 0)
	var out []storepath.Path
	c := tx.Bucket(bucketReferrers).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		out = append(out, storepath.Path(k[len(prefix):]))
	}
	return out
}

// putPath records info, replacing an earlier record of the same path.
func putPath(tx *bolt.Tx, info *PathInfo) error {
	rec := dbRecord{
		NarHash:          info.NarHash.String(),
		NarSize:          info.NarSize,
		Deriver:          string(info.Deriver),
		RegistrationTime: info.RegistrationTime.Unix(),
		Signatures:       info.Signatures,
		CA:               info.CA.String(),
		Ultimate:         info.Ultimate,
	}
	v, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	key := []byte(info.Path)
	for _, old := range getRefs(tx, info.Path) {
		if err := tx.Bucket(bucketReferrers).Delete(referrerKey(old, info.Path)); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bucketInfo).Put(key, v); err != nil {
		return err
	}
	refs := sortedRefs(info.References)
	if err := tx.Bucket(bucketRefs).Put(key, []byte(strings.Join(refs, "\n"))); err != nil {
		return err
	}
	for _, r := range refs {
		if err := tx.Bucket(bucketReferrers).Put(referrerKey(storepath.Path(r), info.Path), nil); err != nil {
			return err
		}
	}
	return nil
}

// deletePath removes p's records. It refuses while another valid path
// still refers to p.
func deletePath(tx *bolt.Tx, p storepath.Path) error {
	for _, r := range getReferrers(tx, p) {
		if r != p {
			return fmt.Errorf("cannot invalidate %s: %s refers to it", p, r)
		}
	}
	for _, ref := range getRefs(tx, p) {
		if err := tx.Bucket(bucketReferrers).Delete(referrerKey(ref, p)); err != nil {
			return err
		}
	}
	for _, b := range [][]byte{bucketInfo, bucketRefs} {
		if err := tx.Bucket(b).Delete([]byte(p)); err != nil {
			return err
		}
	}
	prefix := append([]byte(p), 0)
	c := tx.Bucket(bucketDrvOutputs).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Seek(prefix) {
		if err := c.Delete(); err != nil {
			return err
		}
	}
	return nil
}

func referrerKey(reference, referrer storepath.Path) []byte {
	k := make([]byte, 0, len(reference)+1+len(referrer))
	k = append(k, reference...)
	k = append(k, 0)
	return append(k, referrer...)
}

// sortedRefs returns the references as sorted, de-duplicated strings.
func sortedRefs(refs []storepath.Path) []string {
	out := make([]string, 0, len(refs))
	for _, r := range refs {
		out = append(out, string(r))
	}
	sort.Strings(out)
	return compactStrings(out)
}

func compactStrings(s []string) []string {
	if len(s) == 0 {
		return s
	}
	out := s[:1]
	for _, x := range s[1:] {
		if x != out[len(out)-1] {
			out = append(out, x)
		}
	}
	return out
}
