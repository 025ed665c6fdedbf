package vm

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"
)

// A Console is a VM's serial console: everything the guest printed, a
// read position that Expect advances, and the guest's input.
type Console struct {
	mu     sync.Mutex
	buf    []byte // everything received
	pos    int    // Expect searches from here
	closed bool
	notify chan struct{} // closed and replaced on every change
	in     io.Writer
	line   []byte // the partial line not yet logged
	logf   func(format string, args ...any)
	raw    io.Writer // the console log file
}

func newConsole(in io.Writer, raw io.Writer, logf func(string, ...any)) *Console {
	return &Console{notify: make(chan struct{}), in: in, raw: raw, logf: logf}
}

// feed reads from r until EOF, recording and logging what arrives.
func (c *Console) feed(r io.Reader) {
	b := make([]byte, 4096)
	for {
		n, err := r.Read(b)
		if n > 0 {
			c.received(b[:n])
		}
		if err != nil {
			c.mu.Lock()
			c.closed = true
			c.flushLine()
			c.wake()
			c.mu.Unlock()
			return
		}
	}
}

func (c *Console) received(b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf = append(c.buf, b...)
	if c.raw != nil {
		c.raw.Write(b)
	}
	c.line = append(c.line, b...)
	for {
		i := bytes.IndexByte(c.line, '\n')
		if i < 0 {
			break
		}
		c.logLine(c.line[:i])
		c.line = c.line[i+1:]
	}
	c.wake()
}

func (c *Console) flushLine() {
	if len(c.line) > 0 {
		c.logLine(c.line)
		c.line = nil
	}
}

func (c *Console) logLine(l []byte) {
	if c.logf == nil {
		return
	}
	if s := strings.TrimSpace(StripANSI(string(l))); s != "" {
		c.logf("%s", s)
	}
}

func (c *Console) wake() {
	close(c.notify)
	c.notify = make(chan struct{})
}

// ansi matches terminal escape sequences (CSI and two-byte escapes).
var ansi = regexp.MustCompile(`\x1b(\[[0-9;?]*[ -/]*[@-~]|[@-Z\\-_])`)

// StripANSI removes terminal escape sequences and carriage returns.
func StripANSI(s string) string {
	return strings.ReplaceAll(ansi.ReplaceAllString(s, ""), "\r", "")
}

// ErrTimeout is returned (wrapped) when a wait ends without a match.
var ErrTimeout = fmt.Errorf("timed out")

// Expect waits until the console output after the read position matches
// re, and returns the submatches; the read position moves past the match.
// Output is matched with escape sequences removed.
func (c *Console) Expect(re *regexp.Regexp, timeout time.Duration) ([]string, error) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		c.mu.Lock()
		text := c.buf[c.pos:]
		clean := StripANSI(string(text))
		if m := re.FindStringSubmatchIndex(clean); m != nil {
			sub := make([]string, len(m)/2)
			for i := range sub {
				if m[2*i] >= 0 {
					sub[i] = clean[m[2*i]:m[2*i+1]]
				}
			}
			c.pos += rawOffset(string(text), m[1])
			c.mu.Unlock()
			return sub, nil
		}
		closed, ch := c.closed, c.notify
		c.mu.Unlock()
		if closed {
			return nil, fmt.Errorf("console closed while waiting for %q", re)
		}
		select {
		case <-ch:
		case <-deadline.C:
			return nil, fmt.Errorf("waiting %s for %q: %w", timeout, re, ErrTimeout)
		}
	}
}

// rawOffset maps an offset in StripANSI(raw) back to an offset in raw.
func rawOffset(raw string, clean int) int {
	n := 0
	for i := 0; i < len(raw); {
		if n >= clean {
			return i
		}
		if loc := ansi.FindStringIndex(raw[i:]); loc != nil && loc[0] == 0 {
			i += loc[1]
			continue
		}
		if raw[i] != '\r' {
			n++
		}
		i++
	}
	return len(raw)
}

// Write sends bytes to the guest's console.
func (c *Console) Write(b []byte) (int, error) { return c.in.Write(b) }

// Output returns everything received so far.
func (c *Console) Output() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return string(c.buf)
}
