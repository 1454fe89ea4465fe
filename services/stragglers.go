package services

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// stopStragglers stops whatever is still below tinit once every service
// has settled (orphans, what services left behind): SIGTERM, then SIGKILL
// when the shutdown deadline passes. It returns the moment the last one
// is gone.
func (s *Supervisor) stopStragglers() {
	st := s.opt.Stragglers
	if s.opt.ExitAtOnce || st == nil {
		return
	}
	if grace := time.Until(s.deadline); grace > 0 && s.signalStragglers(SIGTERM) {
		ctx, cancel := context.WithTimeout(context.Background(), grace)
		err := st.WaitChildless(ctx)
		cancel()
		if err == nil {
			return
		}
	}
	if !s.signalStragglers(SIGKILL) {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), killWait)
	defer cancel()
	if err := st.WaitChildless(ctx); err != nil {
		s.logf(slog.LevelWarn, nil, "processes still left %v after SIGKILL: %v", killWait, err)
	}
}

// signalStragglers sends sig to what is left and says whether there was
// anything (or it could not tell).
func (s *Supervisor) signalStragglers(sig Signal) bool {
	n, err := s.opt.Stragglers.SignalDescendants(sig)
	if err != nil {
		s.logf(slog.LevelWarn, nil, "send %v to the processes left: %v", sig, err)
		return true
	}
	if n > 0 {
		s.logf(slog.LevelInfo, nil, "sent %v to %s left", sig, count(n, "process"))
	}
	return n != 0
}

// count is "1 service", "2 services", "3 processes".
func count(n int, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "s"):
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
