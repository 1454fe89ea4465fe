package services

import (
	"fmt"
	"time"

	"github.com/tinit/tinit/services/output"
)

// stop asks u to stop for reason. A service without a process settles
// at once; one with a process gets its stop_signal, and SIGKILL to the
// whole service after stop_timeout; a hook running is cut short.
func (s *Supervisor) stop(u *unit, reason StopReason) {
	switch u.state {
	case StateWaiting, StateBackoff:
		stopTimer(&u.timer)
		s.settleStopped(u, reason)
	case StatePreStart:
		u.hook.stop = reason
		u.hook.cancel()
	case StateStarting, StateReady:
		if u.live() {
			s.signalStop(u, reason)
		}
	}
	// Stopping, or ended with its output draining: it is on its way.
	// PostStop: the hook finishes. Either way decide then sees the
	// service is no longer wanted, and why. Settled: nothing runs.
}

// settleStopped settles u, which tinit stopped for reason before or
// after its process ran: failed when a service it requires failed,
// stopped otherwise.
func (s *Supervisor) settleStopped(u *unit, reason StopReason) {
	if reason == StopDependency {
		s.failForDependency(u, u.depFailed)
		return
	}
	s.transition(u, StateStopped, "stopped: "+reason.String())
}

// failForDependency fails u for good because name, which it requires,
// did. What failed u is not its own last exit, which the exit policy
// must not count for it (roleEnded).
func (s *Supervisor) failForDependency(u *unit, name string) {
	u.failure = nil
	s.transition(u, StateFailed, fmt.Sprintf("dependency %q failed", name))
}

// signalStop sends u's process its stop signal and arms stop_timeout.
func (s *Supervisor) signalStop(u *unit, reason StopReason) {
	r, svc := u.run, u.svc
	r.stop = reason
	r.cancel()
	stopTimer(&r.readyTimer)
	if err := r.proc.Signal(svc.StopSignal); err != nil {
		s.logf(output.LevelDebug, u, "send %v: %v", svc.StopSignal, err)
	}
	s.transition(u, StateStopping, fmt.Sprintf("%s: sent %v to pid %d", reason, svc.StopSignal, r.pid))
	if s.killedAll || svc.StopTimeout == 0 {
		s.killService(u)
		return
	}
	r.stopTimer = s.after(svc.StopTimeout, evStopTimeout{u: u, gen: r.gen})
}

// killService sends SIGKILL to every process of u's run: its cgroup, or
// its process group, and the process itself.
func (s *Supervisor) killService(u *unit) {
	r := u.run
	r.killed = true
	s.killGroup(u, r)
	if err := r.proc.Signal(SIGKILL); err != nil {
		s.logf(output.LevelDebug, u, "send SIGKILL: %v", err)
	}
}

// killGroup sends SIGKILL to u's cgroup, or else to the process group of
// run r.
func (s *Supervisor) killGroup(u *unit, r *run) {
	var err error
	if u.group != nil {
		err = u.group.Kill()
	} else {
		err = r.proc.SignalGroup(SIGKILL)
	}
	if err != nil {
		s.logf(output.LevelDebug, u, "kill what is left of it: %v", err)
	}
}

// onExit handles the end of u's process: what it left behind is killed,
// and once its output is drained (bounded by drainTimeout), the run ends:
// the lines it wrote come before anything that follows its end.
func (s *Supervisor) onExit(u *unit, status ExitStatus) {
	r := u.run
	delete(s.byPid, r.pid)
	stopTimer(&r.stopTimer)
	stopTimer(&r.readyTimer)
	r.cancel()
	if !s.opt.LeftoversToStragglers {
		s.killGroup(u, r)
	}
	r.proc.Close()
	u.lastExit = &status
	e := &ending{status: status, stop: r.stop, ranFor: time.Since(r.started)}
	e.failed = r.stop.Failure() || r.stop == StopNone && !u.svc.SuccessExit.Contains(status)
	e.why = fmt.Sprintf("pid %d %s after %v", r.pid, exitWhy(u, r, status), e.ranFor.Round(time.Millisecond))
	r.ending = e
	if len(r.fws) == 0 {
		s.runEnded(u)
		return
	}
	// The events of the process (readiness, health, timers) are over: a
	// new generation leaves them behind, and only the drain's carries it.
	u.gen++
	r.gen = u.gen
	deadline, fws, gen := time.Now().Add(drainTimeout), r.fws, r.gen
	s.goSafe(u, gen, "an output drain", func() {
		s.drain(fws, deadline)
		s.post(evDrained{u: u, gen: gen})
	})
}

// runEnded acts on the end of u's run once its output is drained.
func (s *Supervisor) runEnded(u *unit) {
	e := u.run.ending
	u.run = nil
	s.ended(u, e, true)
}

// exitWhy says how a run ended: "exit code 3", "killed by SIGKILL after
// stop_timeout".
func exitWhy(u *unit, r *run, status ExitStatus) string {
	why := status.String()
	switch {
	case r.killed && status.Signal == SIGKILL:
		why += " (stop_timeout)"
	case r.stop != StopNone:
		why += " (" + r.stop.String() + ")"
	}
	return why
}

// ended handles the end of a run, or of a start that failed: the
// post_stop hook runs first if the service has one (and a process ran).
func (s *Supervisor) ended(u *unit, e *ending, ran bool) {
	if e.failed {
		st := failureStatus(e)
		u.failure = &st
		s.outcome.Failures = append(s.outcome.Failures, st)
	}
	if ran && u.svc.PostStop != nil && !s.killedAll {
		u.ending = e
		s.startHook(u, RolePostStop, u.svc.PostStop)
		return
	}
	s.decide(u, e)
}

// failureStatus is the status the exit policy counts for a failure: the
// exit, or, when tinit stopped the service because it failed a check,
// no status (which counts as 1).
func failureStatus(e *ending) ExitStatus {
	if e.stop.Failure() {
		return ExitStatus{}
	}
	return e.status
}

// decide settles u after a run, or schedules its restart.
func (s *Supervisor) decide(u *unit, e *ending) {
	u.ending = nil
	switch {
	case e.stop == StopDependency || !u.up && u.downReason == StopDependency:
		s.settleStopped(u, StopDependency)
	case !u.up || s.shutting != ShutdownNone:
		to := StateStopped
		if e.failed && e.stop == StopNone {
			to = StateFailed
		}
		s.transition(u, to, e.why)
	case e.stop == StopRestart:
		u.streak, u.starts = 0, nil
		s.want(u, "restart requested")
	case u.svc.Restart.Restarts(e.failed):
		s.scheduleRestart(u, e)
	case e.failed:
		s.transition(u, StateFailed, e.why)
	default:
		s.transition(u, StateExited, e.why)
	}
}

// scheduleRestart waits restart_delay × backoff^n before the next start,
// unless the start limit is reached, which fails u for good.
func (s *Supervisor) scheduleRestart(u *unit, e *ending) {
	pol := u.svc.Restart
	if e.ranFor >= pol.ResetAfter {
		u.streak = 0
	}
	delay := pol.DelayFor(u.streak)
	if s.startLimitHit(u, time.Now().Add(delay)) {
		s.transition(u, StateFailed, fmt.Sprintf("%s; started %s within %v, giving up (start_limit_burst)",
			e.why, output.Count(pol.StartLimitBurst, "time"), formatDuration(pol.StartLimitInterval)))
		return
	}
	u.streak++
	u.restarts++
	if s.transition(u, StateBackoff, fmt.Sprintf("%s; restarting in %v", e.why, delay)) == nil {
		u.timer = s.after(delay, evRestartDue{u: u, gen: u.gen})
	}
}

// startLimitHit says whether a start at the given time would be one too
// many within start_limit_interval; it forgets older starts.
func (s *Supervisor) startLimitHit(u *unit, at time.Time) bool {
	pol := u.svc.Restart
	if pol.StartLimitBurst == 0 {
		return false
	}
	keep := u.starts[:0]
	for _, t := range u.starts {
		if at.Sub(t) < pol.StartLimitInterval {
			keep = append(keep, t)
		}
	}
	u.starts = keep
	return len(u.starts) >= pol.StartLimitBurst
}

// shutdown ends the run: every service stops, dependents before what
// they depend on, all within shutdown_timeout.
func (s *Supervisor) shutdown(reason ShutdownReason) {
	if s.shutting != ShutdownNone {
		return
	}
	s.shutting = reason
	timeout := s.cfg.Tinit.ShutdownTimeout
	s.deadline = time.Now().Add(timeout)
	s.logf(output.LevelInfo, nil, "shutting down (%v), within %v", reason, formatDuration(timeout))
	s.after(timeout, evShutdownTimeout{})
	for _, u := range s.units {
		s.setDown(u, StopShutdown)
	}
	for i := len(s.units) - 1; i >= 0; i-- {
		s.maybeStop(s.units[i])
	}
}

// setDown marks u as no longer wanted, to be stopped for reason.
func (s *Supervisor) setDown(u *unit, reason StopReason) {
	if u.up {
		u.up, u.downReason = false, reason
	}
}

// maybeStop stops u, which is no longer wanted, once every service that
// starts after it and is going down too has settled.
func (s *Supervisor) maybeStop(u *unit) {
	if u.up || u.state.Settled() || u.state == StateStopping {
		return
	}
	if u.state.Running() {
		for _, name := range s.cfg.Graph.Dependents(u.svc.Name) {
			if d := s.named[name]; !d.up && !d.state.Settled() {
				return
			}
		}
	}
	s.stop(u, u.downReason)
}

// stopDependencies is called when u, going down, has settled: what it
// started after may stop now.
func (s *Supervisor) stopDependencies(u *unit) {
	for _, name := range s.cfg.Graph.After(u.svc.Name) {
		s.maybeStop(s.named[name])
	}
}

// killAll ends a shutdown that took longer than shutdown_timeout: every
// process of every service gets SIGKILL, every hook is cut short.
func (s *Supervisor) killAll() {
	if s.settled == len(s.units) {
		return
	}
	s.killedAll = true
	s.logf(output.LevelWarn, nil, "shutdown_timeout %v passed, killing what is left", formatDuration(s.cfg.Tinit.ShutdownTimeout))
	for _, u := range s.units {
		switch {
		case u.run != nil && !u.live():
			// ended; its output drains
		case u.run != nil && u.state != StateStopping:
			s.signalStop(u, StopShutdown) // kills at once now
		case u.run != nil && !u.run.killed:
			s.killService(u)
		case u.hook != nil:
			u.hook.stop = StopShutdown
			u.hook.cancel()
		default:
			s.stop(u, StopShutdown)
		}
	}
	s.after(killWait, evAbandon{})
}

// abandon gives up on processes that outlived their SIGKILL by killWait
// (stuck in the kernel): their services are marked stopped so that tinit
// can end.
func (s *Supervisor) abandon() {
	for _, u := range s.units {
		if u.state.Settled() {
			continue
		}
		if r := u.run; r != nil {
			u.run = nil
			r.cancel()
			r.proc.Close()
			delete(s.byPid, r.pid)
		}
		u.hook, u.ending = nil, nil
		s.transition(u, StateStopped, fmt.Sprintf("still there %v after SIGKILL, abandoned", killWait))
	}
}
