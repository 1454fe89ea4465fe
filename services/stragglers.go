package services

import (
	"context"
	"time"

	"github.com/tinit/tinit/services/output"
)

// stopStragglers stops whatever is still below tinit once every service
// has settled (orphans, what services left behind): SIGTERM, also to
// what is reparented to tinit meanwhile, then SIGKILL when the shutdown
// deadline passes. It returns the moment the last one is gone.
func (s *Supervisor) stopStragglers() {
	if s.opt.ExitAtOnce || s.opt.Stragglers == nil {
		return
	}
	if grace := time.Until(s.deadline); grace > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), grace)
		err := s.stopAll(ctx, SIGTERM)
		cancel()
		if err == nil {
			return
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), killWait)
	defer cancel()
	if err := s.stopAll(ctx, SIGKILL); err != nil {
		s.logf(output.LevelWarn, nil, "processes still left %v after SIGKILL: %v", killWait, err)
	}
}

// stopAll sends sig to what is left until nothing is, or ctx ends.
func (s *Supervisor) stopAll(ctx context.Context, sig Signal) error {
	n, err := s.opt.Stragglers.StopDescendants(ctx, sig)
	if n > 0 {
		s.logf(output.LevelInfo, nil, "sent %v to %s left", sig, output.Count(n, "process"))
	}
	if err != nil && ctx.Err() == nil {
		s.logf(output.LevelWarn, nil, "send %v to the processes left: %v", sig, err)
	}
	return err
}
