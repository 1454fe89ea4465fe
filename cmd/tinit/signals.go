package main

import (
	"os"
	"os/signal"
	"syscall"
)

// notForwarded are the signals tinit keeps: SIGCHLD (the reaper's),
// SIGURG (the Go runtime's preemption), the synchronous ones (faults in
// tinit itself, left to the runtime), SIGTTIN and SIGTTOU (ignored, so
// that a terminal never stops tinit), the two that cannot be caught, and
// 32 and 33, which glibc keeps for itself (so tini cannot take them) and
// the Go runtime uses (33) or leaves to a C library (32). The
// synchronous ones sent with kill are ignored (ignoreSynchronousByKill).
//
// 34, glibc's SIGRTMIN, is forwarded, as by tini: only musl uses it
// (SIGSYNCCALL), and tinit has no C library; the Go runtime leaves it
// alone, so the reaper's handler takes it.
var notForwarded = map[syscall.Signal]string{
	syscall.SIGCHLD: "reaper",
	syscall.SIGURG:  "Go runtime",
	syscall.SIGSEGV: synchronous,
	syscall.SIGBUS:  synchronous,
	syscall.SIGFPE:  synchronous,
	syscall.SIGILL:  synchronous,
	syscall.SIGTRAP: synchronous,
	syscall.SIGSYS:  synchronous,
	syscall.SIGTTIN: "ignored",
	syscall.SIGTTOU: "ignored",
	syscall.SIGKILL: "uncatchable",
	syscall.SIGSTOP: "uncatchable",
	32:              "reserved by the C library",
	33:              "reserved by the C library and the Go runtime",
}

// synchronous is why notForwarded keeps the signals of a fault.
const synchronous = "synchronous"

// ignoreSynchronousByKill has tinit take the synchronous signals that a
// process sends it with kill, and do nothing with them: neither forward
// them nor die. The Go runtime would take such a signal for a fault in
// tinit and crash; a C init that is PID 1 never even sees it (the kernel
// drops a signal left at its default action for a namespace's init). A
// real fault still crashes: the runtime gives os/signal only the signals
// that a process sent. The channel is never read; os/signal drops what
// does not fit.
func ignoreSynchronousByKill() {
	var sigs []os.Signal
	for s, why := range notForwarded {
		if why == synchronous {
			sigs = append(sigs, s)
		}
	}
	signal.Notify(make(chan os.Signal, 1), sigs...)
}

// forwardedSignals lists every signal tinit forwards to its child.
func forwardedSignals() []syscall.Signal {
	var sigs []syscall.Signal
	for s := syscall.Signal(1); s <= 64; s++ {
		if _, kept := notForwarded[s]; !kept {
			sigs = append(sigs, s)
		}
	}
	return sigs
}

// rewritten applies --rewrite: the signal to send instead of sig, or 0
// to drop it.
func (o *options) rewritten(sig syscall.Signal) syscall.Signal {
	if to, ok := o.rewrite[sig]; ok {
		return to
	}
	return sig
}
