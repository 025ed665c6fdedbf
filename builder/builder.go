package builder

// This file defines the Builder, its options and its progress events.

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/frazil/frazil/store"
	"github.com/frazil/frazil/store/storepath"
)

// Options configure a Builder. The zero value builds one derivation at a
// time, stops at the first failure and substitutes nothing.
type Options struct {
	Jobs      int           // builds run in parallel (-j); < 1 means 1
	KeepGoing bool          // keep building what does not depend on a failure (-k)
	Timeout   time.Duration // per build; 0 means none
	Cores     int           // NIX_BUILD_CORES; 0 means the number of CPUs

	// System is the platform builds run on ("x86_64-linux"); it defaults
	// to the running one. ExtraPlatforms lists others it can run
	// ("i686-linux" on x86_64).
	System         string
	ExtraPlatforms []string

	// Substituters are asked, in order, for outputs before building them.
	Substituters []Substituter

	// Check rebuilds the given derivations even though their outputs are
	// valid and fails if the rebuilt outputs differ (--check).
	Check bool

	// SandboxPaths are host paths made visible (read-only) in every
	// sandbox: sandbox path -> host path, like Nix's sandbox-paths.
	SandboxPaths map[string]string

	// Progress, if set, receives an Event for every step. It is called
	// from one goroutine at a time.
	Progress func(Event)

	// LogTo, if set, receives a copy of every build log, each line
	// prefixed with the derivation's name.
	LogTo io.Writer
}

// Builder realises derivations in a store.
type Builder struct {
	store *store.Store
	opts  Options
}

// New returns a Builder for s.
func New(s *store.Store, opts Options) *Builder {
	if opts.Jobs < 1 {
		opts.Jobs = 1
	}
	if opts.Cores < 1 {
		opts.Cores = runtime.NumCPU()
	}
	if opts.System == "" {
		opts.System, opts.ExtraPlatforms = hostSystem()
	}
	return &Builder{store: s, opts: opts}
}

// hostSystem returns the Nix system name of the running machine and the
// systems it can also run.
func hostSystem() (string, []string) {
	switch runtime.GOARCH {
	case "amd64":
		return "x86_64-linux", []string{"i686-linux"}
	case "arm64":
		return "aarch64-linux", nil
	case "386":
		return "i686-linux", nil
	}
	return runtime.GOARCH + "-" + runtime.GOOS, nil
}

// canRun reports whether a derivation for platform can be built here.
func (b *Builder) canRun(platform, builderPath string) bool {
	if platform == b.opts.System || isBuiltin(builderPath) && platform == "builtin" {
		return true
	}
	for _, p := range b.opts.ExtraPlatforms {
		if p == platform {
			return true
		}
	}
	return false
}

// EventKind says what an Event reports.
type EventKind int

// The kinds of events, in the order a path passes them.
const (
	Planned            EventKind = iota // the work is known: Progress.Total
	BuildStarted                        // a build started
	BuildFinished                       // a build succeeded
	BuildFailed                         // a build failed (Err)
	SubstituteStarted                   // a substitution started
	SubstituteFinished                  // a substitution succeeded
	SubstituteFailed                    // a substitution failed (Err)
	DependencyFailed                    // a derivation will not be built: an input failed
)

var eventNames = [...]string{"planned", "build started", "build finished", "build failed",
	"substitute started", "substitute finished", "substitute failed", "dependency failed"}

func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Progress counts the work of one Realise call.
type Progress struct {
	Total   int // builds and substitutions needed
	Done    int // finished successfully
	Failed  int // failed, or not attempted because an input failed
	Running int
}

// Event is one step of a Realise call, for a CLI to show.
type Event struct {
	Kind     EventKind
	Path     storepath.Path // the derivation built, or the path substituted
	Err      error          // for failures
	Progress Progress
	Time     time.Time
}

// Result maps each requested derivation to its outputs (name -> path).
type Result map[storepath.Path]map[string]storepath.Path

// Realise makes every output of each derivation in drvs valid, building
// or substituting whatever is missing, and returns the output paths. On
// failure the error is an *Error listing what failed.
func (b *Builder) Realise(ctx context.Context, drvs []storepath.Path) (Result, error) {
	unlock, err := b.store.LockShared()
	if err != nil {
		return nil, err
	}
	defer unlock()
	g, err := b.loadGraph(drvs)
	if err != nil {
		return nil, err
	}
	if err := b.plan(ctx, g); err != nil {
		return nil, err
	}
	if err := b.schedule(ctx, g); err != nil {
		return nil, err
	}
	res := Result{}
	for _, n := range g.targets {
		res[n.path] = n.outputs
	}
	return res, nil
}
