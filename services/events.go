package services

import (
	"fmt"

	"github.com/tinit/tinit/services/output"
)

// event is something that happened outside the loop: apply handles it in
// the loop, which alone may touch the services' state.
type event interface {
	apply(s *Supervisor)
}

// current reports whether an event about run or hook gen of u is still
// about what u is doing: events of an older run are dropped.
func current(u *unit, gen uint64) bool { return u.gen == gen }

// evExit: a service's process ended.
type evExit struct {
	u      *unit
	gen    uint64
	status ExitStatus
}

func (e evExit) apply(s *Supervisor) {
	if r := e.u.run; r != nil && r.gen == e.gen && r.ending == nil {
		s.onExit(e.u, e.status)
	}
}

// evDrained: the output of a process that ended is drained.
type evDrained struct {
	u   *unit
	gen uint64
}

func (e evDrained) apply(s *Supervisor) {
	if r := e.u.run; r != nil && r.gen == e.gen && r.ending != nil {
		s.runEnded(e.u)
	}
}

// evReady: a readiness check passed.
type evReady struct {
	u   *unit
	gen uint64
}

func (e evReady) apply(s *Supervisor) {
	if current(e.u, e.gen) && e.u.state == StateStarting {
		s.becomeReady(e.u, e.u.svc.Ready.Kind.String())
	}
}

// evReadyFailed: a readiness check gave up before the timeout.
type evReadyFailed struct {
	u   *unit
	gen uint64
	err error
}

func (e evReadyFailed) apply(s *Supervisor) {
	if current(e.u, e.gen) && e.u.state == StateStarting && !procEnded(e.u.run.proc) {
		s.logf(output.LevelWarn, e.u, "readiness check failed: %v", e.err)
		s.stop(e.u, StopReadyFailed)
	}
}

// procEnded reports whether p has ended: then its evExit is on its way, and
// says more than a readiness check that failed because of it.
func procEnded(p Proc) bool {
	select {
	case <-p.Done():
		return true
	default:
		return false
	}
}

// evReadyTimeout: ready_timeout passed.
type evReadyTimeout struct {
	u   *unit
	gen uint64
}

func (e evReadyTimeout) apply(s *Supervisor) {
	if current(e.u, e.gen) && e.u.state == StateStarting {
		s.logf(output.LevelWarn, e.u, "not ready after %v", formatDuration(e.u.svc.Ready.Timeout))
		s.stop(e.u, StopReadyTimeout)
	}
}

// evStopTimeout: stop_timeout passed after the stop signal.
type evStopTimeout struct {
	u   *unit
	gen uint64
}

func (e evStopTimeout) apply(s *Supervisor) {
	if current(e.u, e.gen) && e.u.state == StateStopping {
		s.logf(output.LevelWarn, e.u, "still running %v after %v, sending SIGKILL",
			formatDuration(e.u.svc.StopTimeout), e.u.svc.StopSignal)
		s.killService(e.u)
	}
}

// evRestartDue: the restart delay passed.
type evRestartDue struct {
	u   *unit
	gen uint64
}

func (e evRestartDue) apply(s *Supervisor) {
	if current(e.u, e.gen) && e.u.state == StateBackoff {
		e.u.timer = nil
		s.want(e.u, fmt.Sprintf("restart %d", e.u.restarts))
	}
}

// evHealth: one health check ended; err is nil when it passed.
type evHealth struct {
	u   *unit
	gen uint64
	err error
}

func (e evHealth) apply(s *Supervisor) {
	if current(e.u, e.gen) && e.u.state == StateReady {
		s.onHealth(e.u, e.err)
	}
}

// evHookDone: a pre_start or post_stop hook ended.
type evHookDone struct {
	u      *unit
	gen    uint64
	role   ProcRole
	status ExitStatus
	err    error // why it did not run or was killed; nil when it exited
}

func (e evHookDone) apply(s *Supervisor) {
	if h := e.u.hook; h != nil && h.gen == e.gen {
		s.onHookDone(e.u, e)
	}
}

// evShutdownTimeout: shutdown_timeout passed.
type evShutdownTimeout struct{}

func (evShutdownTimeout) apply(s *Supervisor) { s.killAll() }

// evAbandon: processes did not die within killWait of their SIGKILL.
type evAbandon struct{}

func (evAbandon) apply(s *Supervisor) { s.abandon() }

// evPanic: a goroutine of the supervisor panicked.
type evPanic struct {
	u     *unit // the service it worked for, or nil
	gen   uint64
	what  string
	value any
}

func (e evPanic) apply(s *Supervisor) {
	s.logf(output.LevelError, e.u, "panic in %s, carrying on: %v", e.what, e.value)
	switch u := e.u; {
	case u != nil && u.hook != nil && u.hook.gen == e.gen:
		// The wait for a hook panicked: its end will never be posted.
		s.onHookDone(u, evHookDone{u: u, gen: e.gen, role: u.hook.role, err: fmt.Errorf("panic: %v", e.value)})
	case u == nil || !current(u, e.gen) || u.run == nil:
	case !u.live():
		s.runEnded(u) // the drain of its output panicked
	case u.state != StateStopping:
		s.stop(u, StopInternal)
	}
}
