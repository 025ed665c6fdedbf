// Package supervisor starts, watches and stops the services a Frazil system
// declares in its toplevel's services.json (see docs/architecture.md).
//
// # Model
//
// A [Spec] is one service as declared. [Plan] selects the services wanted by
// a target (multi-user.target) together with everything they require or want,
// and orders them so that a service comes after every service it names in
// `after` or `requires`; a cycle is an error naming the cycle.
//
// A [Supervisor] runs the plan. Each service has one goroutine that walks it
// through its states:
//
//	waiting → starting (preStart) → running → ready
//	                                      ↘ exited (oneshot, status 0)
//	exit → backoff → starting …            (restart policy allows it)
//	exit → crash-looping → starting …      (5 failures within 60 s: retry every 5 min)
//	exit → failed | exited                 (policy says no restart)
//
// A service starts once all the services it comes after are ready: a simple
// service is ready when its process has started, a oneshot when it exited
// with status 0, a notify-ready service when it wrote READY=1 to file
// descriptor 3. A service whose required dependency failed is failed too.
// When every planned service is ready (or has definitively failed) the
// supervisor prints, once, on its console:
//
//	frazil: all services ready (1.234s)
//
// with the CLOCK_MONOTONIC time, the clock the kernel's own log uses.
//
// Restarts back off exponentially: restartSec, doubled after each
// consecutive failure up to [Policy.MaxDelay]; a run that lasted
// [Policy.ResetAfter] resets the count.
//
// # Processes
//
// Children run in their own process group, as the declared user and group,
// with the declared environment and a PATH made of the `path` entries' bin
// directories. Their stdout and stderr go, line by line, into a ring buffer
// per service (served to the device CLI) and to /var/log/<name>.log, which is
// rotated to <name>.log.1 at a size limit.
//
// Exits are collected by a [Reaper] that calls wait4(-1) on SIGCHLD, so the
// supervisor also reaps orphans re-parented to PID 1 (or to a subreaper).
// Nothing here panics out of a goroutine: every goroutine recovers and logs.
package supervisor
