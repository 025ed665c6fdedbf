package build

// This file defines the progress display: a line per started and finished
// build or substitution, with counts, and on a terminal a status line
// below them naming what is running.

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/frazil/frazil/builder"
	"github.com/frazil/frazil/store/storepath"
)

// Progress prints builder events. It is safe for concurrent use.
type Progress struct {
	w      io.Writer
	tty    bool
	mu     sync.Mutex
	start  map[storepath.Path]time.Time
	status bool // a status line is on screen
}

// NewProgress returns a Progress writing to w; tty enables the status
// line (w must then be a terminal).
func NewProgress(w io.Writer, tty bool) *Progress {
	return &Progress{w: w, tty: tty, start: map[storepath.Path]time.Time{}}
}

// Event records one builder event; pass it as builder.Options.Progress.
func (p *Progress) Event(ev builder.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearStatus()
	pr := ev.Progress
	count := fmt.Sprintf("[%d/%d]", pr.Done+pr.Failed, pr.Total)
	switch ev.Kind {
	case builder.Planned:
		if pr.Total > 0 {
			fmt.Fprintf(p.w, "%d derivations will be built or substituted\n", pr.Total)
		}
	case builder.BuildStarted, builder.SubstituteStarted:
		p.start[ev.Path] = ev.Time
		verb := map[bool]string{true: "copying", false: "building"}[ev.Kind == builder.SubstituteStarted]
		fmt.Fprintf(p.w, "%s %s '%s'...\n", count, verb, ev.Path)
	case builder.BuildFinished, builder.SubstituteFinished:
		verb := map[bool]string{true: "copied", false: "built"}[ev.Kind == builder.SubstituteFinished]
		fmt.Fprintf(p.w, "%s %s '%s' in %s\n", count, verb, ev.Path, p.elapsed(ev))
	case builder.BuildFailed, builder.SubstituteFailed:
		fmt.Fprintf(p.w, "%s %s '%s' after %s\n", count, ev.Kind, ev.Path, p.elapsed(ev))
	case builder.DependencyFailed:
		fmt.Fprintf(p.w, "%s not building '%s': an input failed\n", count, ev.Path)
	}
	p.drawStatus(pr)
}

// elapsed returns how long the path of a finished event ran.
func (p *Progress) elapsed(ev builder.Event) string {
	t, ok := p.start[ev.Path]
	delete(p.start, ev.Path)
	if !ok {
		return "?"
	}
	return ev.Time.Sub(t).Round(10 * time.Millisecond).String()
}

// Done removes the status line.
func (p *Progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clearStatus()
}

func (p *Progress) clearStatus() {
	if p.status {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.status = false
	}
}

// drawStatus shows the counts and the names of what is running.
func (p *Progress) drawStatus(pr builder.Progress) {
	if !p.tty || len(p.start) == 0 {
		return
	}
	var names []string
	for path := range p.start {
		names = append(names, path.Name())
	}
	sort.Strings(names)
	line := fmt.Sprintf("[%d/%d done, %d running: %s]", pr.Done, pr.Total, len(names), strings.Join(names, ", "))
	if len(line) > 100 {
		line = line[:97] + "...]"
	}
	fmt.Fprint(p.w, line)
	p.status = true
}
