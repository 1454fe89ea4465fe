package services

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tinit/tinit/services/output"
)

// Op is what a control request asks for.
type Op int

// The control requests.
const (
	OpStatus   Op = iota // the status of every service
	OpStart              // start one service (and what it requires or wants)
	OpStop               // stop one service (and what requires it)
	OpRestart            // stop one service and start it again
	OpLogs               // the last lines of one service's output
	OpShutdown           // stop everything and exit
)

var opNames = enum{"status", "start", "stop", "restart", "logs", "shutdown"}

// String names the request as `tinit ctl` spells it.
func (o Op) String() string { return opNames.name(int(o)) }

// Request is one control request. Reply must have room for one reply:
// the loop never waits for the sender.
type Request struct {
	Op      Op
	Service string // for start, stop, restart and logs
	Reply   chan<- Reply
}

// Reply answers a Request.
type Reply struct {
	Err      error           // why the request was refused
	Services []ServiceStatus // status: every service, sorted by name
	Lines    []string        // logs: the kept lines, oldest first
}

// ServiceStatus is what the status request says of one service.
type ServiceStatus struct {
	Name     string
	State    State
	Why      string    // why it is in that state
	Since    time.Time // when it entered it
	Pid      int       // its process, 0 if none
	Restarts int       // how many times it was restarted
	LastExit *ExitStatus
	Status   string // its last STATUS= (sd_notify)
}

// ErrShuttingDown refuses a request that would start something during
// the shutdown.
var ErrShuttingDown = errors.New("tinit is shutting down")

// ErrNotRunning is returned by Control once the supervisor has ended.
var ErrNotRunning = errors.New("the supervisor is not running")

// Requests is the channel the loop takes control requests from.
func (s *Supervisor) Requests() chan<- Request { return s.requests }

// Control sends a request to the loop and waits for its reply.
func (s *Supervisor) Control(ctx context.Context, op Op, service string) (Reply, error) {
	reply := make(chan Reply, 1)
	select {
	case s.requests <- Request{Op: op, Service: service, Reply: reply}:
	case <-s.done:
		return Reply{}, ErrNotRunning
	case <-ctx.Done():
		return Reply{}, ctx.Err()
	}
	select {
	case r := <-reply:
		return r, r.Err
	case <-ctx.Done():
		return Reply{}, ctx.Err()
	}
}

// onRequest handles a control request in the loop.
func (s *Supervisor) onRequest(r Request) {
	rep := s.answer(r)
	if rep.Err != nil {
		s.logf(output.LevelDebug, nil, "control %v %q: %v", r.Op, r.Service, rep.Err)
	}
	select {
	case r.Reply <- rep:
	default:
		s.logf(output.LevelWarn, nil, "control %v: the reply channel is full, dropping the reply", r.Op)
	}
}

func (s *Supervisor) answer(r Request) Reply {
	if r.Op == OpStatus {
		return Reply{Services: s.status()}
	}
	if r.Op == OpShutdown {
		s.shutdown(ShutdownRequest)
		return Reply{}
	}
	u := s.named[r.Service]
	if u == nil {
		return Reply{Err: fmt.Errorf("%v: no service %q", r.Op, r.Service)}
	}
	switch r.Op {
	case OpLogs:
		return s.logs(u)
	case OpStart, OpRestart:
		if s.shutting != ShutdownNone {
			return Reply{Err: fmt.Errorf("%v %q: %w", r.Op, r.Service, ErrShuttingDown)}
		}
		if r.Op == OpRestart {
			s.restart(u)
		} else {
			s.startRequested(u)
		}
	case OpStop:
		s.stopRequested(u)
	default:
		return Reply{Err: fmt.Errorf("unknown request %v", r.Op)}
	}
	return Reply{}
}

func (s *Supervisor) status() []ServiceStatus {
	out := make([]ServiceStatus, len(s.units))
	for i, u := range s.units {
		st := ServiceStatus{Name: u.svc.Name, State: u.state, Why: u.why, Since: u.since,
			Restarts: u.restarts, LastExit: u.lastExit, Status: u.status}
		if u.live() {
			st.Pid = u.run.pid
		}
		out[i] = st
	}
	return out
}

func (s *Supervisor) logs(u *unit) Reply {
	if u.out == nil || u.out.ring == nil {
		return Reply{Lines: []string{}}
	}
	return Reply{Lines: u.out.ring.Lines()}
}

// startRequested starts u, and first what it requires or wants that is
// not running, as a fresh start: the restart counters begin again. Every
// one of them is wanted before any is asked to start, so that none
// starts before a dependency that is about to start too.
func (s *Supervisor) startRequested(u *unit) {
	var start []*unit
	todo := []*unit{u}
	seen := map[*unit]bool{u: true}
	for len(todo) > 0 {
		v := todo[0]
		todo = todo[1:]
		if v.state == StateInactive || v.state == StateStopped || v.state == StateFailed || v == u && v.state == StateExited {
			v.up, v.streak, v.starts = true, 0, nil
			start = append(start, v)
		}
		for _, names := range [][]string{s.cfg.Graph.Requires(v.svc.Name), s.cfg.Graph.Wants(v.svc.Name)} {
			for _, n := range names {
				if d := s.named[n]; !seen[d] {
					seen[d] = true
					todo = append(todo, d)
				}
			}
		}
	}
	for _, v := range start {
		s.want(v, "start requested")
	}
}

// stopRequested stops u and, first, every service that requires it.
func (s *Supervisor) stopRequested(u *unit) {
	down := []*unit{u}
	for i := 0; i < len(down); i++ {
		s.setDown(down[i], StopRequest)
		for _, n := range s.cfg.Graph.RequiredBy(down[i].svc.Name) {
			if d := s.named[n]; d.up {
				down = append(down, d)
			}
		}
	}
	for _, d := range down {
		s.maybeStop(d)
	}
}

// restart stops u's process and starts it again at once, without the
// restart delay; a service without a process just starts.
func (s *Supervisor) restart(u *unit) {
	u.up = true
	switch u.state {
	case StateStarting, StateReady, StateStopping:
		if !u.live() {
			u.run.ending.stop = StopRestart // it ended; decide starts it again
		} else if u.state == StateStopping {
			u.run.stop = StopRestart
		} else {
			s.signalStop(u, StopRestart)
		}
	case StatePreStart:
		u.hook.stop = StopRestart
		u.hook.cancel()
	case StateBackoff:
		stopTimer(&u.timer)
		u.streak, u.starts = 0, nil
		s.want(u, "restart requested")
	case StatePostStop:
		u.ending.stop = StopRestart
	default:
		s.startRequested(u)
	}
}
