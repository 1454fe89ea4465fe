package services

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/tinit/tinit/services/notify"
	"github.com/tinit/tinit/services/probe"
)

// watchReady starts the readiness check of u's new run: at once for a
// simple service without one; on READY=1 for a notify service (see
// onNotify); on exit for a oneshot (see onExit); otherwise from a
// goroutine that posts evReady. ready_timeout bounds them all.
func (s *Supervisor) watchReady(u *unit, readyR *os.File) {
	r, rd := u.run, u.svc.Ready
	if rd.Timeout > 0 {
		r.readyTimer = s.after(rd.Timeout, evReadyTimeout{u: u, gen: r.gen})
	}
	switch rd.Kind {
	case ReadyStarted:
		s.becomeReady(u, "started")
	case ReadyFD:
		s.goSafe(u, r.gen, "ready_fd", func() {
			defer readyR.Close()
			s.readyResult(u, r, notify.WaitFD(r.ctx, readyR))
		})
	case ReadyTCP:
		s.goSafe(u, r.gen, "ready_tcp", func() {
			s.readyResult(u, r, probe.Poll(r.ctx, rd.Interval, func(ctx context.Context) error {
				return s.tcpProbe(ctx, rd.Address)
			}))
		})
	case ReadyCommand:
		s.goSafe(u, r.gen, "ready_command", func() {
			s.readyResult(u, r, probe.Poll(r.ctx, rd.Interval, func(ctx context.Context) error {
				return s.runProbe(ctx, u, r, RoleReady, rd.Command)
			}))
		})
	}
}

// readyResult posts what a readiness goroutine found, unless the run is
// over (its context ended), when no one cares.
func (s *Supervisor) readyResult(u *unit, r *run, err error) {
	switch {
	case err == nil:
		s.post(evReady{u: u, gen: r.gen})
	case r.ctx.Err() == nil:
		s.post(evReadyFailed{u: u, gen: r.gen, err: err})
	}
}

// becomeReady marks u's run ready: its dependents may start, and its
// health check begins.
func (s *Supervisor) becomeReady(u *unit, how string) {
	r := u.run
	stopTimer(&r.readyTimer)
	r.readyAt = time.Now()
	why := "ready"
	if how != "started" {
		why = fmt.Sprintf("ready (%s) after %v", how, r.readyAt.Sub(r.started).Round(time.Millisecond))
	}
	if s.transition(u, StateReady, why) == nil {
		s.watchHealth(u)
	}
}

// runProbe runs a command of u's as a helper process (autokill, with
// u's environment and credentials, output discarded) until it exits or
// ctx ends, and fails unless it exits 0.
func (s *Supervisor) runProbe(ctx context.Context, u *unit, r *run, role ProcRole, argv []string) error {
	path, err := lookPath(argv[0], getenv(r.launch.env, "PATH"))
	if err != nil {
		return err
	}
	spec := r.launch.spec(u, role, path, argv)
	spec.Stdin, spec.Stdout, spec.Stderr = s.devNull, s.devNull, s.devNull
	p, err := s.opt.Spawner.Start(spec)
	if err != nil {
		return fmt.Errorf("start %s: %w", role, err)
	}
	defer p.Close()
	select {
	case <-p.Done():
	case <-ctx.Done():
		p.SignalGroup(SIGKILL)
		return fmt.Errorf("%s %q: %w", role, argv[0], context.Cause(ctx))
	}
	if st := p.Exit(); st != (ExitStatus{}) {
		return fmt.Errorf("%s %q: %v", role, argv[0], st)
	}
	return nil
}

// stopTimer stops *t, if set, and clears it.
func stopTimer(t **time.Timer) {
	if *t != nil {
		(*t).Stop()
		*t = nil
	}
}

func probeTCP(ctx context.Context, addr string) error { return probe.TCP(ctx, addr) }

func probeHTTP(ctx context.Context, url string, ok func(int) bool) error {
	return probe.HTTP(ctx, url, ok)
}
