package supervisor

import "sync"

// ring keeps the last lines a service printed. It is safe for concurrent use.
type ring struct {
	mu    sync.Mutex
	lines []string
	next  int  // where the next line goes
	full  bool // lines has wrapped
	seq   uint64
	wake  chan struct{} // closed and replaced when a line is added
}

func newRing(n int) *ring {
	return &ring{lines: make([]string, n), wake: make(chan struct{})}
}

// add appends a line, dropping the oldest one when the ring is full.
func (r *ring) add(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines[r.next] = line
	r.next = (r.next + 1) % len(r.lines)
	if r.next == 0 {
		r.full = true
	}
	r.seq++
	close(r.wake)
	r.wake = make(chan struct{})
}

// last returns up to n of the newest lines, oldest first (all when n <= 0),
// the sequence number of the newest line, and a channel closed when a line
// is added after them.
func (r *ring) last(n int) ([]string, uint64, <-chan struct{}) {
	r.mu.Lock()
	defer r.mu.Unlock()
	size := r.next
	if r.full {
		size = len(r.lines)
	}
	if n <= 0 || n > size {
		n = size
	}
	out := make([]string, 0, n)
	for i := size - n; i < size; i++ {
		idx := i
		if r.full {
			idx = (r.next + i) % len(r.lines)
		}
		out = append(out, r.lines[idx])
	}
	return out, r.seq, r.wake
}

// since returns the lines added after sequence number seq (as many as the
// ring still holds), the newest sequence number and the wake channel.
func (r *ring) since(seq uint64) ([]string, uint64, <-chan struct{}) {
	r.mu.Lock()
	cur := r.seq
	r.mu.Unlock()
	n := int(cur - seq)
	if n <= 0 {
		r.mu.Lock()
		defer r.mu.Unlock()
		return nil, r.seq, r.wake
	}
	return r.last(n)
}
