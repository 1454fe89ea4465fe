package services

import "github.com/tinit/tinit/services/output"

// SignalDo is what tinit does with a signal it receives.
type SignalDo int

// The things a signal can make tinit do.
const (
	SignalIgnore   SignalDo = iota // log it, nothing else
	SignalShutdown                 // stop every service in order and exit
	SignalForward                  // pass it on to the main service
)

var signalDoNames = enum{"ignore", "shutdown", "forward"}

// String names the action: "ignore", "shutdown", "forward".
func (d SignalDo) String() string { return signalDoNames.name(int(d)) }

// SignalAction says what a received signal does.
type SignalAction struct {
	Do SignalDo
	// As is the signal to forward instead (--rewrite); 0 forwards the
	// signal received.
	As Signal
	// Group forwards to the main service's process group rather than to
	// its process alone.
	Group bool
}

// ServicesSignals is what signals do in services mode (tinit --config):
// SIGTERM, SIGINT, SIGQUIT and SIGPWR (which LXC sends to ask an init to
// power off) shut down; everything else is logged and ignored, SIGHUP
// included: tinit does not reload its configuration.
func ServicesSignals(sig Signal) SignalAction {
	switch sig {
	case SIGTERM, SIGINT, SIGQUIT, sigPWR:
		return SignalAction{Do: SignalShutdown}
	}
	return SignalAction{Do: SignalIgnore}
}

// ServicesSignalList are the signals tinit listens to in services mode.
var ServicesSignalList = []Signal{SIGTERM, SIGINT, SIGQUIT, sigPWR, SIGHUP, SIGUSR1, SIGUSR2}

const sigPWR Signal = 30

// onSignal acts on a signal tinit received; sent says its handler has
// forwarded it to the main service already.
func (s *Supervisor) onSignal(sig Signal, sent bool) {
	act := ServicesSignals(sig)
	if s.opt.SignalAction != nil {
		act = s.opt.SignalAction(sig)
	}
	switch act.Do {
	case SignalShutdown:
		if s.shutting != ShutdownNone {
			s.logf(output.LevelInfo, nil, "got %v, already shutting down", sig)
			return
		}
		s.logf(output.LevelInfo, nil, "got %v", sig)
		s.shutdown(ShutdownSignal)
	case SignalForward:
		s.forward(sig, act, sent)
	default:
		s.logf(output.LevelInfo, nil, "got %v, ignoring it", sig)
	}
}

// forward passes sig on to the main service, or, without one, to every
// running service; sent: the main service has it already.
func (s *Supervisor) forward(sig Signal, act SignalAction, sent bool) {
	to := sig
	if act.As != 0 {
		to = act.As
	}
	for _, u := range s.units {
		if !u.live() || s.cfg.Main() != nil && !u.svc.Main {
			continue
		}
		if err := s.send(u, to, act.Group, sent); err != nil {
			s.logf(output.LevelDebug, u, "forward %v: %v", to, err)
			continue
		}
		if to == sig {
			s.logf(output.LevelDebug, u, "forwarded %v", sig)
		} else {
			s.logf(output.LevelDebug, u, "forwarded %v as %v", sig, to)
		}
	}
}

// send signals u's process (its group with group), unless sent already.
func (s *Supervisor) send(u *unit, sig Signal, group, sent bool) error {
	switch {
	case sent && u.svc.Main:
		return nil
	case group:
		return u.run.proc.SignalGroup(sig)
	}
	return u.run.proc.Signal(sig)
}
