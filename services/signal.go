package services

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Signal is a signal number in Linux's generic numbering (amd64, arm64,
// riscv64 …; not alpha, mips, parisc or sparc). It is defined here rather
// than taken from syscall so that the package builds and tests on any OS;
// on Linux, syscall.Signal(s) is the same signal.
type Signal int

// The signals that tinit's configuration names most often.
const (
	SIGHUP  Signal = 1
	SIGINT  Signal = 2
	SIGQUIT Signal = 3
	SIGKILL Signal = 9
	SIGUSR1 Signal = 10
	SIGUSR2 Signal = 12
	SIGTERM Signal = 15
	SIGSTOP Signal = 19
)

// Limits of the signal numbers, with glibc's real-time range (kill -l shows
// the same): the kernel reserves 32 and 33 for the threads library.
const (
	MaxSignal      Signal = 64 // _NSIG - 1
	SignalRTMin    Signal = 34 // SIGRTMIN as seen by programs
	SignalRTMax    Signal = 64 // SIGRTMAX
	numNamedSignal        = 31
)

// signalNames is the table of the classic signals, indexed by number.
var signalNames = [numNamedSignal + 1]string{
	1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP",
	6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 10: "SIGUSR1",
	11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM",
	16: "SIGSTKFLT", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP", 20: "SIGTSTP",
	21: "SIGTTIN", 22: "SIGTTOU", 23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ",
	26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH", 29: "SIGIO", 30: "SIGPWR",
	31: "SIGSYS",
}

// signalAliases are the other names Linux gives to some of those signals.
var signalAliases = map[string]Signal{"SIGIOT": 6, "SIGCLD": 17, "SIGPOLL": 29}

// Signal makes s an os.Signal, so that tinit's signals reach the
// supervisor straight from os/signal (Options.Signals).
func (s Signal) Signal() {}

// Forwarded is a signal that tinit's signal handler has passed on to the
// main service already, as SignalAction says (reaper.Relay): sent on
// Options.Signals, it is logged as forwarded and not sent again.
type Forwarded Signal

// Signal makes f an os.Signal.
func (f Forwarded) Signal() {}

// String names the signal forwarded.
func (f Forwarded) String() string { return Signal(f).String() }

// signalOf is the Signal of what os/signal delivers (a syscall.Signal),
// or of a Signal or Forwarded sent as it is; 0 for anything else. sent
// says it has reached the main service already.
func signalOf(sig os.Signal) (s Signal, sent bool) {
	switch s := sig.(type) {
	case Signal:
		return s, false
	case Forwarded:
		return Signal(s), true
	case syscall.Signal:
		return Signal(s), false
	}
	return 0, false
}

// Valid reports whether s is a signal number Linux knows (1 to 64).
func (s Signal) Valid() bool { return s >= 1 && s <= MaxSignal }

// String returns the name kill -l prints: "SIGTERM", "SIGRTMIN+3",
// "SIGRTMAX-1", "SIG32" for the two reserved numbers, and "Signal(n)" for a
// number that is no signal.
func (s Signal) String() string {
	switch {
	case s >= 1 && s <= numNamedSignal:
		return signalNames[s]
	case s == 32 || s == 33:
		return "SIG" + strconv.Itoa(int(s))
	case s == SignalRTMin:
		return "SIGRTMIN"
	case s > SignalRTMin && s < SignalRTMin+16:
		return "SIGRTMIN+" + strconv.Itoa(int(s-SignalRTMin))
	case s == SignalRTMax:
		return "SIGRTMAX"
	case s > SignalRTMin && s < SignalRTMax:
		return "SIGRTMAX-" + strconv.Itoa(int(SignalRTMax-s))
	}
	return "Signal(" + strconv.Itoa(int(s)) + ")"
}

// ParseSignal reads a signal given by name or number: "SIGTERM", "TERM",
// "sigterm", "15", "SIG15", "SIGRTMIN+3", "RTMAX-2". Names are Linux's.
func ParseSignal(text string) (Signal, error) {
	if n, err := strconv.Atoi(text); err == nil {
		return SignalNumber(int64(n))
	}
	name := strings.ToUpper(text)
	if !strings.HasPrefix(name, "SIG") {
		name = "SIG" + name
	}
	if s, ok := lookupSignalName(name); ok {
		return s, nil
	}
	if s, ok, err := parseRealtimeSignal(name); ok {
		return s, err
	}
	if n, err := strconv.Atoi(name[3:]); err == nil && name[3] != '+' && name[3] != '-' {
		return SignalNumber(int64(n))
	}
	hint := ""
	if s := suggest(name[3:], signalNameList()); s != "" {
		hint = ` (did you mean "SIG` + s + `"?)`
	}
	return 0, fmt.Errorf("unknown signal %q%s", text, hint)
}

// SignalNumber checks that n is a signal number Linux knows.
func SignalNumber(n int64) (Signal, error) {
	if n < 1 || n > int64(MaxSignal) {
		return 0, fmt.Errorf("signal number %d is out of range (1 to %d)", n, MaxSignal)
	}
	return Signal(n), nil
}

func lookupSignalName(name string) (Signal, bool) {
	for i := Signal(1); i <= numNamedSignal; i++ {
		if signalNames[i] == name {
			return i, true
		}
	}
	s, ok := signalAliases[name]
	return s, ok
}

// parseRealtimeSignal reads SIGRTMIN, SIGRTMIN+n, SIGRTMAX and SIGRTMAX-n;
// ok is false when name is none of those forms.
func parseRealtimeSignal(name string) (s Signal, ok bool, err error) {
	base, sign := SignalRTMin, Signal(1)
	rest, found := strings.CutPrefix(name, "SIGRTMIN")
	if !found {
		base, sign = SignalRTMax, -1
		if rest, found = strings.CutPrefix(name, "SIGRTMAX"); !found {
			return 0, false, nil
		}
	}
	if rest == "" {
		return base, true, nil
	}
	op := "+"
	if sign < 0 {
		op = "-"
	}
	digits, found := strings.CutPrefix(rest, op)
	n, err := strconv.Atoi(digits)
	if !found || err != nil || n < 0 || strings.HasPrefix(digits, "+") {
		return 0, true, fmt.Errorf("invalid real-time signal %q: want %s%sn", name, name[:8], op)
	}
	if n > int(SignalRTMax-SignalRTMin) {
		return 0, true, fmt.Errorf("invalid real-time signal %q: %s%s%d is out of range (34 to 64)", name, name[:8], op, n)
	}
	return base + sign*Signal(n), true, nil
}

// signalNameList is every classic name without its "SIG", for
// suggestions.
func signalNameList() []string {
	names := make([]string, 0, numNamedSignal)
	for _, n := range signalNames[1:] {
		names = append(names, n[3:])
	}
	return names
}
