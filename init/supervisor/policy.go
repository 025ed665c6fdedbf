package supervisor

import "time"

// Policy holds the restart timing shared by all services. The zero value is
// not useful; start from [DefaultPolicy].
type Policy struct {
	// MaxDelay caps the exponential backoff.
	MaxDelay time.Duration
	// ResetAfter is the uptime after which a run counts as healthy: the
	// backoff starts again from restartSec.
	ResetAfter time.Duration
	// CrashLoopFailures failures within CrashLoopWindow mark a service
	// crash-looping.
	CrashLoopFailures int
	CrashLoopWindow   time.Duration
	// CrashLoopRetry is the delay before a crash-looping service is tried again.
	CrashLoopRetry time.Duration
	// StopTimeout is how long a stopped service gets between SIGTERM and SIGKILL.
	StopTimeout time.Duration
}

// DefaultPolicy is the policy of docs/architecture.md: backoff doubling up
// to 60 s and reset after 60 s of uptime, crash loop at 5 failures in 60 s
// retried every 5 min, 10 s to stop.
func DefaultPolicy() Policy {
	return Policy{
		MaxDelay:          60 * time.Second,
		ResetAfter:        60 * time.Second,
		CrashLoopFailures: 5,
		CrashLoopWindow:   60 * time.Second,
		CrashLoopRetry:    5 * time.Minute,
		StopTimeout:       10 * time.Second,
	}
}

// backoff tracks one service's recent failures.
type backoff struct {
	consecutive int         // failures since the last healthy run
	failures    []time.Time // failure times within the crash-loop window
}

// failed records a failure at now after a run of the given uptime, and
// returns how long to wait before the next start and whether the service is
// now crash-looping.
func (b *backoff) failed(p Policy, base time.Duration, now time.Time, uptime time.Duration) (time.Duration, bool) {
	if uptime >= p.ResetAfter {
		b.consecutive = 0
	}
	b.consecutive++
	keep := b.failures[:0]
	for _, t := range b.failures {
		if now.Sub(t) < p.CrashLoopWindow {
			keep = append(keep, t)
		}
	}
	b.failures = append(keep, now)
	if p.CrashLoopFailures > 0 && len(b.failures) >= p.CrashLoopFailures {
		b.failures = b.failures[:0]
		return p.CrashLoopRetry, true
	}
	d := base
	for i := 1; i < b.consecutive && d < p.MaxDelay; i++ {
		d *= 2
	}
	return min(d, p.MaxDelay), false
}

// reset forgets the failures, as after a manual restart.
func (b *backoff) reset() {
	b.consecutive = 0
	b.failures = b.failures[:0]
}
