package supervisor

import (
	"fmt"
	"runtime/debug"
)

// recoverTo stops a panic from leaving a goroutine: it reports it through
// logf (or stderr's default when nil). Deferred at the top of every goroutine.
func recoverTo(logf func(string, ...any), what string) {
	if r := recover(); r != nil {
		if logf == nil {
			logf = func(f string, a ...any) { fmt.Printf(f+"\n", a...) }
		}
		logf("frazil: internal error in %s: %v\n%s", what, r, debug.Stack())
	}
}
