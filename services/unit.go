package services

import (
	"context"
	"time"

	"github.com/tinit/tinit/services/cgroup"
	"github.com/tinit/tinit/services/output"
)

// unit is the supervisor's record of one service. Only the loop touches it.
type unit struct {
	svc   *Service
	state State
	why   string    // why it is in its state, for messages and status
	since time.Time // when it entered its state
	up    bool      // wanted running: false once tinit stops it for good

	downReason StopReason // why it is no longer wanted
	depFailed  string     // the required service whose failure stopped it

	gen    uint64      // bumped for every run and hook: stale events are dropped
	run    *run        // the process, from start to the end of its run
	hook   *hookRun    // the pre_start or post_stop hook running
	ending *ending     // how the last run ended, until that is acted on
	timer  *time.Timer // the restart delay

	streak   int         // restarts in a row, for the backoff
	restarts int         // restarts in all
	starts   []time.Time // recent starts, for the start limit
	lastExit *ExitStatus
	failure  *ExitStatus // the status of its last failure, as the exit policy counts it
	status   string      // the last STATUS= of an sd_notify service

	out   *serviceOutput
	group *cgroup.Group
}

// run is one process of a service, from its start to the end of its run.
type run struct {
	gen     uint64
	proc    Proc
	pid     int
	started time.Time
	readyAt time.Time // zero until ready
	ctx     context.Context
	cancel  context.CancelFunc // ends the readiness and health checks
	fws     []*output.Forwarder
	launch  launch // what its helpers (probes) run with

	stop        StopReason // why tinit stopped it; StopNone if it ended by itself
	ending      *ending    // set when the process has ended: its output drains
	stopTimer   *time.Timer
	readyTimer  *time.Timer
	killed      bool // SIGKILL sent to the whole service
	healthFails int
}

// ending is how a run ended, kept while the post_stop hook runs.
type ending struct {
	status ExitStatus
	failed bool
	stop   StopReason
	ranFor time.Duration
	why    string
}

// live reports whether u has a process that has not ended.
func (u *unit) live() bool { return u.run != nil && u.run.ending == nil }

func newUnit(svc *Service) *unit {
	return &unit{svc: svc, up: true, why: "not started yet", since: time.Now()}
}

// transition moves u to state to, for the reason why. It is the only
// place a state changes; a move the table does not allow is refused,
// logged, and leaves u as it was.
func (s *Supervisor) transition(u *unit, to State, why string) error {
	if err := checkMove(u.state, to); err != nil {
		s.logf(output.LevelError, u, "bug: %v (%s), ignoring", err, why)
		return err
	}
	from := u.state
	u.state, u.why, u.since = to, why, time.Now()
	if from.Settled() != to.Settled() {
		if to.Settled() {
			s.settled++
		} else {
			s.settled--
		}
	}
	s.logTransition(u, from)
	s.afterTransition(u)
	return nil
}

// logLevels say how loud each state change is.
var transitionLevels = [numStates]output.Level{
	StateInactive: output.LevelDebug, StateWaiting: output.LevelDebug, StatePreStart: output.LevelDebug,
	StateStarting: output.LevelDebug, StateReady: output.LevelInfo, StateStopping: output.LevelInfo,
	StatePostStop: output.LevelDebug, StateBackoff: output.LevelWarn, StateExited: output.LevelInfo,
	StateFailed: output.LevelError, StateStopped: output.LevelInfo,
}

func (s *Supervisor) logTransition(u *unit, from State) {
	level := transitionLevels[u.state]
	if u.svc.Main && u.state.Settled() {
		// The end of the main service is the run's result, which tinit's
		// exit code reports (a failure to start it is an error of its own).
		level = min(level, output.LevelInfo)
	}
	s.logf(level, u, "%v -> %v: %s", from, u.state, u.why)
}

// afterTransition does what a service's new state means for the others:
// dependents may start or must stop, the run may end.
func (s *Supervisor) afterTransition(u *unit) {
	switch u.state {
	case StateReady, StateExited:
		s.wakeDependents(u)
		s.checkAllReady()
	case StateFailed:
		s.wakeDependents(u)
		s.failRequirers(u)
	case StateStopped:
		s.wakeDependents(u) // not wanted any more: it holds nobody up (deps)
	}
	if !u.state.Settled() {
		return
	}
	s.roleEnded(u)
	if s.shutting != ShutdownNone || !u.up {
		s.stopDependencies(u)
	}
}

// roleEnded ends the run when the main service has ended, or a critical
// one has failed for good.
func (s *Supervisor) roleEnded(u *unit) {
	switch {
	case u.svc.Main:
		s.outcome.Main = u.lastExit
		s.shutdown(ShutdownMain)
	case u.svc.Critical && u.state == StateFailed && s.shutting == ShutdownNone:
		st := ExitStatus{Code: 1} // it failed because a service it requires did
		if u.failure != nil {
			st = *u.failure
		}
		s.outcome.Critical = &st
		s.shutdown(ShutdownCritical)
	}
}

// checkAllReady logs, once, how long it took every service to be ready.
func (s *Supervisor) checkAllReady() {
	if s.allReady {
		return
	}
	for _, u := range s.units {
		if u.state != StateReady && u.state != StateExited {
			return
		}
	}
	s.allReady = true
	s.logf(output.LevelInfo, nil, "%s ready in %v", output.Count(len(s.units), "service"), time.Since(s.started).Round(time.Millisecond))
}

// release closes what a unit holds at the end of the run.
func (u *unit) release(s *Supervisor) {
	if u.out != nil {
		u.out.close()
	}
	if u.group != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		if err := u.group.Remove(ctx); err != nil {
			s.logf(output.LevelWarn, u, "%v", err)
		}
		cancel()
	}
}
