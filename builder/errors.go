package builder

// This file defines the errors a Realise call reports.

import (
	"fmt"
	"strings"

	"github.com/frazil/frazil/store/storepath"
)

// Error is returned by Realise when something could not be realised. It
// lists every failure, in the order the graph was planned.
type Error struct {
	Failures []*Failure
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, f := range e.Failures {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(f.String())
	}
	return b.String()
}

// Unwrap returns the causes of the failures, for errors.Is and errors.As.
func (e *Error) Unwrap() []error {
	var errs []error
	for _, f := range e.Failures {
		if f.Err != nil {
			errs = append(errs, f.Err)
		}
	}
	return errs
}

// Failure is one derivation (or substituted path) that failed.
type Failure struct {
	Path storepath.Path // the derivation, or the path that could not be substituted
	Err  error          // why it failed; nil if only its inputs failed
	// FailedInputs counts the inputs that failed, for a derivation that
	// was not attempted because of them.
	FailedInputs int
	LogTail      []string // the last lines of the build log
}

// String describes the failure the way Nix does, with the log's tail.
func (f *Failure) String() string {
	if f.Err == nil {
		return fmt.Sprintf("cannot build derivation '%s': %d dependencies couldn't be built", f.Path, f.FailedInputs)
	}
	var b strings.Builder
	b.WriteString(f.Err.Error())
	if len(f.LogTail) > 0 {
		fmt.Fprintf(&b, ";\n  last %d log lines:", len(f.LogTail))
		for _, l := range f.LogTail {
			b.WriteString("\n  > ")
			b.WriteString(l)
		}
		fmt.Fprintf(&b, "\n  For full logs, run 'frazil log %s'.", f.Path)
	}
	return b.String()
}

// BuildError is a builder that did not succeed: it exited with an error,
// was killed, timed out or could not be started.
type BuildError struct {
	Drv storepath.Path
	Err error // *ExitError, *TimeoutError, or another cause
}

func (e *BuildError) Error() string { return fmt.Sprintf("builder for '%s' %v", e.Drv, e.Err) }

func (e *BuildError) Unwrap() error { return e.Err }
