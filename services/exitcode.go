package services

import (
	"strconv"
	"strings"
)

// ExitStatus is how a process ended: with an exit code, or killed by a
// signal.
type ExitStatus struct {
	Code   int    // the exit code, 0 to 255, when Signal is 0
	Signal Signal // the signal that killed the process, or 0
}

// ExitCode is the status as a shell reports it: the code, or 128 plus the
// signal number.
func (e ExitStatus) ExitCode() int {
	if e.Signal != 0 {
		return 128 + int(e.Signal)
	}
	return e.Code
}

// String reads "exit code 3" or "killed by SIGTERM".
func (e ExitStatus) String() string {
	if e.Signal != 0 {
		return "killed by " + e.Signal.String()
	}
	return "exit code " + strconv.Itoa(e.Code)
}

// ExitCodes is a set of exit codes (0 to 255) and killing signals, the
// statuses a service may end with and still count as a success.
type ExitCodes struct {
	codes   [4]uint64
	signals uint64 // bit n-1 for signal n
}

// AddCode puts an exit code in the set; codes outside 0..255 are ignored.
func (s *ExitCodes) AddCode(code int) {
	if code >= 0 && code <= 255 {
		s.codes[code/64] |= 1 << (code % 64)
	}
}

// AddSignal puts a killing signal in the set; invalid signals are ignored.
func (s *ExitCodes) AddSignal(sig Signal) {
	if sig.Valid() {
		s.signals |= 1 << (sig - 1)
	}
}

// Contains reports whether the status is in the set.
func (s ExitCodes) Contains(e ExitStatus) bool {
	if e.Signal != 0 {
		return e.Signal.Valid() && s.signals&(1<<(e.Signal-1)) != 0
	}
	return e.Code >= 0 && e.Code <= 255 && s.codes[e.Code/64]&(1<<(e.Code%64)) != 0
}

// String lists the set as the configuration writes it: "0 2 SIGTERM".
func (s ExitCodes) String() string {
	var parts []string
	for c := 0; c <= 255; c++ {
		if s.Contains(ExitStatus{Code: c}) {
			parts = append(parts, strconv.Itoa(c))
		}
	}
	for sig := Signal(1); sig <= MaxSignal; sig++ {
		if s.Contains(ExitStatus{Signal: sig}) {
			parts = append(parts, sig.String())
		}
	}
	return strings.Join(parts, " ")
}

// ExitPolicy says which exit code tinit ends with, once every service has
// stopped.
type ExitPolicy int

// The exit-code policies; see ExitPolicy.ExitCode.
const (
	ExitMain         ExitPolicy = iota + 1 // the main service's code
	ExitFirstFailure                       // the first failure's code, else 0
	ExitMax                                // the highest failure code, else 0
	ExitZero                               // always 0
)

var exitPolicyNames = enum{ExitMain: "main", ExitFirstFailure: "first-failure", ExitMax: "max", ExitZero: "zero"}

// String returns the policy's name in the configuration.
func (p ExitPolicy) String() string { return exitPolicyNames.name(int(p)) }

// Outcome is what the supervisor saw by the end of a run.
type Outcome struct {
	// Main is the main service's last exit, whatever ended it; nil if the
	// main service never ran.
	Main *ExitStatus
	// Critical is the failure of a critical service that ended the run.
	Critical *ExitStatus
	// Failures are the failed exits of all services, in the order seen: an
	// exit that is not in the service's success_exit_codes and was not
	// caused by tinit stopping the service. A readiness or health timeout
	// is a failure too.
	Failures []ExitStatus
}

// ExitCode is tinit's exit code for the outcome under policy p:
//
//   - zero: 0, always;
//   - otherwise, if a critical service's failure ended the run: its code;
//   - main: the main service's code (128+n if a signal killed it, as with
//     tini); if the main service never ran, as first-failure;
//   - first-failure: the code of the first failure, or 0 if none;
//   - max: the highest code among the failures, or 0 if none.
//
// A failure never yields 0: a failed status whose code is 0 counts as 1.
func (p ExitPolicy) ExitCode(o Outcome) int {
	switch {
	case p == ExitZero:
		return 0
	case o.Critical != nil:
		return failureCode(*o.Critical)
	case p == ExitMain && o.Main != nil:
		return o.Main.ExitCode()
	case p == ExitMax:
		code := 0
		for _, f := range o.Failures {
			code = max(code, failureCode(f))
		}
		return code
	case len(o.Failures) > 0:
		return failureCode(o.Failures[0])
	}
	return 0
}

func failureCode(e ExitStatus) int { return max(1, e.ExitCode()) }
