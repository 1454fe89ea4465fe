package main

import (
	"syscall"
)

// notForwarded are the signals tinit keeps: SIGCHLD (the reaper's),
// SIGURG (the Go runtime's preemption), the synchronous ones (faults in
// tinit itself, left to the runtime), SIGTTIN and SIGTTOU (ignored, so
// that a terminal never stops tinit), and the two that cannot be caught.
var notForwarded = map[syscall.Signal]string{
	syscall.SIGCHLD: "reaper",
	syscall.SIGURG:  "Go runtime",
	syscall.SIGSEGV: "synchronous",
	syscall.SIGBUS:  "synchronous",
	syscall.SIGFPE:  "synchronous",
	syscall.SIGILL:  "synchronous",
	syscall.SIGTRAP: "synchronous",
	syscall.SIGSYS:  "synchronous",
	syscall.SIGTTIN: "ignored",
	syscall.SIGTTOU: "ignored",
	syscall.SIGKILL: "uncatchable",
	syscall.SIGSTOP: "uncatchable",
	32:              "reserved by the C library and the Go runtime",
	33:              "reserved by the C library and the Go runtime",
	34:              "reserved by the C library and the Go runtime",
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
