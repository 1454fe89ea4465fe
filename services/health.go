package services

import (
	"context"
	"time"

	"github.com/tinit/tinit/services/output"
)

// watchHealth starts the health check of u's ready run: a goroutine
// probes every interval, each probe bounded by the timeout, and posts
// each result as evHealth. It ends with the run.
func (s *Supervisor) watchHealth(u *unit) {
	h, r := u.svc.Health, u.run
	if h == nil {
		return
	}
	s.goSafe(u, r.gen, "health check", func() {
		t := time.NewTimer(h.Interval)
		defer t.Stop()
		for {
			select {
			case <-r.ctx.Done():
				return
			case <-t.C:
			}
			ctx, cancel := context.WithTimeout(r.ctx, h.Timeout)
			err := s.checkHealth(ctx, u, r, h)
			cancel()
			if r.ctx.Err() != nil {
				return
			}
			s.post(evHealth{u: u, gen: r.gen, err: err})
			t.Reset(h.Interval)
		}
	})
}

// checkHealth runs one probe.
func (s *Supervisor) checkHealth(ctx context.Context, u *unit, r *run, h *HealthCheck) error {
	switch h.Kind {
	case HealthTCP:
		return s.tcpProbe(ctx, h.Address)
	case HealthHTTP:
		return s.httpProbe(ctx, h.URL, func(code int) bool { return code >= h.StatusLo && code <= h.StatusHi })
	}
	return s.runProbe(ctx, u, r, RoleHealth, h.Command)
}

// onHealth counts the failures in a row; retries of them stop the
// service, as a failure, to be restarted per its policy. Failures in
// the start period after readiness do not count.
func (s *Supervisor) onHealth(u *unit, err error) {
	r, h := u.run, u.svc.Health
	if err == nil {
		if r.healthFails > 0 {
			s.logf(output.LevelInfo, u, "healthy again")
		}
		r.healthFails = 0
		return
	}
	if time.Since(r.readyAt) < h.StartPeriod {
		s.logf(output.LevelDebug, u, "health check failed in the start period, not counted: %v", err)
		return
	}
	r.healthFails++
	s.logf(output.LevelWarn, u, "health check failed (%d of %d): %v", r.healthFails, h.Retries, err)
	if r.healthFails >= h.Retries {
		s.stop(u, StopHealth)
	}
}
