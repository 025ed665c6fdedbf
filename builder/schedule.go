package builder

// This file defines the scheduler: it runs the planned work in dependency
// order, up to Options.Jobs builds at a time, and decides what a failure
// stops.

import (
	"context"
	"errors"
	"time"
)

// maxSubstitutions bounds the substitutions running at once; they wait on
// the network rather than the CPU, so they do not count against Jobs.
const maxSubstitutions = 4

type scheduler struct {
	b        *Builder
	g        *graph
	ready    []*node
	builds   int // running builds
	substs   int // running substitutions
	stopping bool
	cancel   context.CancelFunc
	done     chan *node
	prog     Progress
}

// schedule runs every node of g.work whose inputs succeed.
func (b *Builder) schedule(ctx context.Context, g *graph) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := &scheduler{b: b, g: g, cancel: cancel, done: make(chan *node)}
	s.prog.Total = len(g.work)
	s.emit(Planned, nil)
	for _, n := range g.work {
		if n.pending == 0 {
			s.ready = append(s.ready, n)
		}
	}
	for {
		if ctx.Err() != nil {
			s.stopping = true
		}
		s.startReady(ctx)
		if s.builds+s.substs == 0 {
			break
		}
		s.finish(ctx, <-s.done)
	}
	return s.result(ctx)
}

// startReady starts ready nodes while there is room for them.
func (s *scheduler) startReady(ctx context.Context) {
	if s.stopping {
		return
	}
	rest := s.ready[:0]
	for _, n := range s.ready {
		isSubst := n.action == actSubstitute
		switch {
		case isSubst && s.substs < maxSubstitutions:
			s.substs++
		case !isSubst && s.builds < s.b.opts.Jobs:
			s.builds++
		default:
			rest = append(rest, n)
			continue
		}
		n.state = stateRunning
		s.prog.Running++
		if isSubst {
			s.emitNode(SubstituteStarted, n, nil)
		} else {
			s.emitNode(BuildStarted, n, nil)
		}
		go func() {
			n.err = s.b.runNode(ctx, n)
			s.done <- n
		}()
	}
	s.ready = rest
}

// finish records the outcome of a node that stopped running.
func (s *scheduler) finish(ctx context.Context, n *node) {
	s.prog.Running--
	isSubst := n.action == actSubstitute
	if isSubst {
		s.substs--
	} else {
		s.builds--
	}
	if n.err == nil {
		n.state = stateDone
		s.prog.Done++
		s.emitNode(pick(isSubst, SubstituteFinished, BuildFinished), n, nil)
		for _, d := range n.dependents {
			if d.pending--; d.pending == 0 && d.state == statePending {
				s.ready = append(s.ready, d)
			}
		}
		return
	}
	n.state = stateFailed
	if ctx.Err() != nil && errors.Is(n.err, ctx.Err()) {
		n.state = stateCancelled // stopped because of another failure or the caller
		return
	}
	s.prog.Failed++
	s.emitNode(pick(isSubst, SubstituteFailed, BuildFailed), n, n.err)
	s.skipDependents(n)
	if !s.b.opts.KeepGoing {
		s.stopping = true
		s.cancel()
	}
}

// skipDependents marks everything that needs n as not buildable.
func (s *scheduler) skipDependents(n *node) {
	for _, d := range n.dependents {
		if d.state != statePending {
			continue
		}
		d.state = stateSkipped
		s.prog.Failed++
		s.emitNode(DependencyFailed, d, nil)
		s.skipDependents(d)
	}
}

// result turns the final states into Realise's error.
func (s *scheduler) result(ctx context.Context) error {
	var failures []*Failure
	for _, n := range s.g.work {
		switch n.state {
		case stateFailed:
			f := &Failure{Path: n.path, Err: n.err}
			var be *BuildError
			if errors.As(n.err, &be) {
				f.LogTail = s.b.logTail(n.path)
			}
			failures = append(failures, f)
		case stateSkipped:
			f := &Failure{Path: n.path}
			for _, d := range n.deps {
				if d.state == stateFailed || d.state == stateSkipped {
					f.FailedInputs++
				}
			}
			failures = append(failures, f)
		}
	}
	if len(failures) > 0 {
		return &Error{Failures: failures}
	}
	return ctx.Err()
}

// pick returns ifSubst for a substitution and ifBuild for a build.
func pick(isSubst bool, ifSubst, ifBuild EventKind) EventKind {
	if isSubst {
		return ifSubst
	}
	return ifBuild
}

func (s *scheduler) emit(k EventKind, err error) {
	s.emitNode(k, nil, err)
}

func (s *scheduler) emitNode(k EventKind, n *node, err error) {
	if s.b.opts.Progress == nil {
		return
	}
	ev := Event{Kind: k, Err: err, Progress: s.prog, Time: time.Now()}
	if n != nil {
		ev.Path = n.path
	}
	s.b.opts.Progress(ev)
}
