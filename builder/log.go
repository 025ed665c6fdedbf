package builder

// This file defines build logs: each build's output is kept in
// R/nix/var/log/frazil/drvs/<drv base name>.log (the last build of a
// derivation wins), read back by Log for `frazil log`.

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// logTailLines is how many log lines a failure report shows, like Nix's
// log-lines setting.
const logTailLines = 10

// LogPath returns where the log of drv's last build is kept in the store
// rooted at root.
func LogPath(root string, drv storepath.Path) string {
	return filepath.Join(root, "nix/var/log/frazil/drvs", drv.Base()+".log")
}

// Log returns the log of the last build of drv in s.
func Log(s *store.Store, drv storepath.Path) ([]byte, error) {
	if _, err := storepath.Parse(string(drv)); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(LogPath(s.Root(), drv))
	if os.IsNotExist(err) {
		return nil, fmt.Errorf("build log of %s is not available", drv)
	}
	return b, err
}

// openLog creates (or truncates) the log of n's build.
func (b *Builder) openLog(n *node) (*os.File, error) {
	p := LogPath(b.store.Root(), n.path)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, fmt.Errorf("create log: %w", err)
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, fmt.Errorf("create log: %w", err)
	}
	return f, nil
}

// logTail returns the last lines of drv's log.
func (b *Builder) logTail(drv storepath.Path) []string {
	f, err := os.Open(LogPath(b.store.Root(), drv))
	if err != nil {
		return nil
	}
	defer f.Close()
	const window = 16 << 10
	if fi, err := f.Stat(); err == nil && fi.Size() > window {
		f.Seek(fi.Size()-window, io.SeekStart)
	}
	data, _ := io.ReadAll(f)
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	if len(lines) > logTailLines {
		lines = lines[len(lines)-logTailLines:]
	}
	return lines
}

// prefixWriter copies whole lines to w, each prefixed with "name> ".
// Builds running in parallel share w, so writes are serialised.
type prefixWriter struct {
	w      io.Writer
	mu     *sync.Mutex
	prefix []byte
	buf    []byte
}

var logToMu sync.Mutex

func newPrefixWriter(w io.Writer, name string) *prefixWriter {
	return &prefixWriter{w: w, mu: &logToMu, prefix: []byte(name + "> ")}
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.buf = append(p.buf, b...)
	for {
		i := bytes.IndexByte(p.buf, '\n')
		if i < 0 {
			break
		}
		p.emit(p.buf[:i+1])
		p.buf = p.buf[i+1:]
	}
	return len(b), nil
}

// Flush writes a last line that lacks its newline.
func (p *prefixWriter) Flush() {
	if len(p.buf) > 0 {
		p.emit(append(p.buf, '\n'))
		p.buf = nil
	}
}

func (p *prefixWriter) emit(line []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.w.Write(append(append([]byte(nil), p.prefix...), line...))
}
