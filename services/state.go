package services

import "fmt"

// State is where a service is in its life. docs/services.md draws the
// moves between states; transition allows no other.
type State int

// The states of a service.
const (
	StateInactive State = iota // not asked to start yet
	StateWaiting               // asked to start, waiting for its dependencies
	StatePreStart              // its pre_start hook runs
	StateStarting              // its process runs, not ready yet
	StateReady                 // its process runs and is ready
	StateStopping              // tinit asked it to stop and waits for the end
	StatePostStop              // it ended; its post_stop hook runs
	StateBackoff               // it ended and waits to be restarted
	StateExited                // it ended with success and is not restarted (a oneshot: done)
	StateFailed                // it failed for good
	StateStopped               // tinit stopped it
	numStates
)

var stateNames = enum{"inactive", "waiting", "pre-start", "starting", "ready", "stopping",
	"post-stop", "backoff", "exited", "failed", "stopped"}

// String names the state as tinit's messages and status show it.
func (s State) String() string { return stateNames.name(int(s)) }

// Settled reports whether nothing of the service runs and nothing is
// pending: it stays in this state until asked to start again.
func (s State) Settled() bool {
	return s == StateInactive || s == StateExited || s == StateFailed || s == StateStopped
}

// Running reports whether a process of the service (its own, or a hook)
// may be alive.
func (s State) Running() bool {
	return s == StatePreStart || s == StateStarting || s == StateReady || s == StateStopping || s == StatePostStop
}

// stateSet is a set of states.
type stateSet uint32

func setOf(states ...State) stateSet {
	var s stateSet
	for _, st := range states {
		s |= 1 << st
	}
	return s
}

func (s stateSet) has(st State) bool { return s&(1<<st) != 0 }

// afterEnd are the states a service may go to when its process ends.
var afterEnd = setOf(StatePostStop, StateBackoff, StateWaiting, StateExited, StateFailed, StateStopped)

// transitions are the moves a service may make: from a state, the states
// it may go to next.
var transitions = [numStates]stateSet{
	StateInactive: setOf(StateWaiting),
	StateWaiting:  setOf(StatePreStart, StateStarting, StateBackoff, StateFailed, StateStopped),
	StatePreStart: setOf(StateWaiting, StateStarting, StateBackoff, StateFailed, StateStopped),
	StateStarting: setOf(StateReady, StateStopping) | afterEnd,
	StateReady:    setOf(StateStopping) | afterEnd,
	StateStopping: afterEnd,
	StatePostStop: afterEnd &^ setOf(StatePostStop),
	StateBackoff:  setOf(StateWaiting, StateFailed, StateStopped),
	StateExited:   setOf(StateWaiting),
	StateFailed:   setOf(StateWaiting),
	StateStopped:  setOf(StateWaiting),
}

// errIllegalMove is wrapped by the error of a move transition refuses.
var errIllegalMove = fmt.Errorf("illegal state change")

// checkMove says whether a service may go from one state to another.
func checkMove(from, to State) error {
	if from < 0 || from >= numStates || to < 0 || to >= numStates || !transitions[from].has(to) {
		return fmt.Errorf("%w from %v to %v", errIllegalMove, from, to)
	}
	return nil
}

// StopReason says why tinit stopped a service.
type StopReason int

// The reasons to stop a service.
const (
	StopNone         StopReason = iota // tinit did not stop it
	StopShutdown                       // tinit is shutting down
	StopRequest                        // a control request asked for it
	StopRestart                        // a control request asked for a restart
	StopDependency                     // a service it requires failed for good
	StopReadyTimeout                   // it was not ready within ready_timeout
	StopReadyFailed                    // its readiness check gave up (ready_fd closed)
	StopHealth                         // its health check failed
	StopInternal                       // tinit lost track of it (a panic in tinit)
)

var stopReasonNames = enum{"not stopped", "shutdown", "stop request", "restart request",
	"dependency failed", "not ready in time", "readiness check failed", "health check failed",
	"internal error"}

// String says why, in a few words: "health check failed".
func (r StopReason) String() string { return stopReasonNames.name(int(r)) }

// Failure reports whether a stop for this reason counts as a failure of
// the service (restarted per its policy, and counted by the exit policy).
func (r StopReason) Failure() bool {
	return r == StopReadyTimeout || r == StopReadyFailed || r == StopHealth || r == StopInternal
}

// ShutdownReason says why a run ended.
type ShutdownReason int

// The reasons for a shutdown.
const (
	ShutdownNone     ShutdownReason = iota // not shutting down
	ShutdownSignal                         // tinit got a signal that asks for it
	ShutdownMain                           // the main service ended
	ShutdownCritical                       // a critical service failed for good
	ShutdownRequest                        // a control request asked for it
	ShutdownAllDone                        // every service has ended by itself
)

var shutdownReasonNames = enum{"running", "signal", "main service ended", "critical service failed",
	"shutdown request", "every service ended"}

// String says why the run ended.
func (r ShutdownReason) String() string { return shutdownReasonNames.name(int(r)) }
