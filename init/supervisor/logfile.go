package supervisor

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// logFile appends a service's output to dir/<name>.log and rotates it to
// <name>.log.1 when it passes max bytes. The file is opened at the first
// line, so a quiet service costs no file creation at boot. Errors disable
// the file (the ring buffer still works); PID 1 must not stop because
// /var/log is full.
type logFile struct {
	mu     sync.Mutex
	path   string
	max    int64
	f      *os.File
	size   int64
	err    error
	opened bool
}

func openLogFile(dir, name string, max int64) *logFile {
	l := &logFile{path: filepath.Join(dir, name+".log"), max: max}
	if dir == "" {
		l.err = fmt.Errorf("no log directory")
	}
	return l
}

func (l *logFile) open() error {
	if err := os.MkdirAll(filepath.Dir(l.path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	l.f, l.size = f, st.Size()
	return nil
}

// writeLine appends line and a newline, rotating first if needed.
func (l *logFile) writeLine(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.opened && l.err == nil {
		l.opened = true
		l.err = l.open()
	}
	if l.err != nil {
		return
	}
	if l.max > 0 && l.size+int64(len(line))+1 > l.max && l.size > 0 {
		l.rotate()
		if l.err != nil {
			return
		}
	}
	n, err := l.f.WriteString(line + "\n")
	l.size += int64(n)
	if err != nil {
		l.err = err
	}
}

func (l *logFile) rotate() {
	l.f.Close()
	l.f = nil
	if err := os.Rename(l.path, l.path+".1"); err != nil {
		l.err = fmt.Errorf("rotate %s: %w", l.path, err)
		return
	}
	l.err = l.open()
}

func (l *logFile) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
	if l.err == nil {
		l.err = fmt.Errorf("closed")
	}
}
