package services

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tinit/tinit/services/output"
)

// hookRun is a pre_start or post_stop hook that runs.
type hookRun struct {
	gen    uint64
	role   ProcRole
	cancel context.CancelFunc // cuts it short: it gets SIGKILL
	stop   StopReason         // why tinit cut it short, if it did
}

// startHook runs u's hook h for role, with u's environment, credentials
// and output, bounded by its timeout. Its end comes back as evHookDone.
func (s *Supervisor) startHook(u *unit, role ProcRole, h *Hook) {
	u.gen++
	ctx, cancel := context.WithTimeout(s.runCtx, h.Timeout)
	hr := &hookRun{gen: u.gen, role: role, cancel: cancel}
	u.hook = hr
	to := StatePreStart
	if role == RolePostStop {
		to = StatePostStop
	}
	if s.transition(u, to, "running the "+role.String()) != nil {
		u.hook = nil
		cancel()
		if role == RolePostStop {
			s.decide(u, u.ending)
		}
		return
	}
	p, _, files, err := s.startProc(u, role, h.Command)
	if err != nil {
		status, why := classifyStart(h.Command[0], err)
		s.onHookDone(u, evHookDone{u: u, gen: hr.gen, role: role, status: status, err: errors.New(why)})
		return
	}
	s.goSafe(u, hr.gen, role.String(), func() { s.waitHook(ctx, u, hr, p, files.fws) })
}

// waitHook waits for a hook to end, or kills it when its context ends
// (timeout, or tinit cut it short), drains its output, and reports its end
// to the loop: as for a service, its last lines come before what its end
// causes.
func (s *Supervisor) waitHook(ctx context.Context, u *unit, hr *hookRun, p Proc, fws []*output.Forwarder) {
	defer p.Close()
	e := evHookDone{u: u, gen: hr.gen, role: hr.role}
	select {
	case <-p.Done():
		e.status = p.Exit()
	case <-ctx.Done():
		p.SignalGroup(SIGKILL)
		p.Signal(SIGKILL)
		e.err = context.Cause(ctx)
		select {
		case <-p.Done():
		case <-time.After(killWait):
		}
	}
	s.drain(fws, time.Now().Add(drainTimeout))
	s.post(e)
}

// hookWhy says how a hook ended.
func hookWhy(h *Hook, e evHookDone) string {
	switch {
	case errors.Is(e.err, context.DeadlineExceeded):
		return fmt.Sprintf("timed out after %v", formatDuration(h.Timeout))
	case errors.Is(e.err, context.Canceled):
		return "cut short"
	case e.err != nil:
		return e.err.Error()
	}
	return e.status.String()
}

// onHookDone goes on from where the hook left u: after pre_start, the
// service starts (or the start has failed), unless it is no longer wanted
// (a pre_start hook runs on while a dependent stops: see maybeStop);
// after post_stop, the end of the run is decided.
func (s *Supervisor) onHookDone(u *unit, e evHookDone) {
	hr := u.hook
	u.hook = nil
	hr.cancel()
	failed := e.err != nil || e.status != (ExitStatus{})
	h := u.svc.PreStart
	if e.role == RolePostStop {
		h = u.svc.PostStop
	}
	why := e.role.String() + " " + hookWhy(h, e)
	if failed {
		s.logf(output.LevelWarn, u, "%s", why)
	}
	switch {
	case e.role == RolePostStop:
		s.decide(u, u.ending)
	case hr.stop == StopRestart:
		s.want(u, "restart requested")
	case hr.stop != StopNone:
		s.settleStopped(u, hr.stop)
	case failed:
		s.ended(u, &ending{status: e.status, failed: true, why: why}, false)
	case !u.up:
		s.settleStopped(u, u.downReason)
	default:
		s.spawn(u)
	}
}
