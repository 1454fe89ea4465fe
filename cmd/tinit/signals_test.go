package main

import (
	"syscall"
	"testing"
)

// TestForwardedSignals: tinit forwards what tini forwards, every signal
// its sigtimedwait can take (glibc keeps 32 and 33 for itself), but
// SIGCHLD, SIGURG (the Go runtime's), the synchronous ones, SIGTTIN and
// SIGTTOU, and the two no process can catch.
func TestForwardedSignals(t *testing.T) {
	forwarded := map[syscall.Signal]bool{}
	for _, s := range forwardedSignals() {
		forwarded[s] = true
	}
	for _, tc := range []struct {
		sig  syscall.Signal
		want bool
	}{
		{syscall.SIGHUP, true},
		{syscall.SIGINT, true},
		{syscall.SIGQUIT, true},
		{syscall.SIGABRT, true},
		{syscall.SIGUSR1, true},
		{syscall.SIGPIPE, true},
		{syscall.SIGTERM, true},
		{syscall.SIGCONT, true},
		{syscall.SIGTSTP, true},
		{syscall.SIGPROF, true},
		{syscall.SIGWINCH, true},
		{syscall.SIGPWR, true},
		{34, true}, // glibc's SIGRTMIN
		{35, true},
		{64, true},
		{syscall.SIGCHLD, false},
		{syscall.SIGURG, false},
		{syscall.SIGSEGV, false},
		{syscall.SIGBUS, false},
		{syscall.SIGFPE, false},
		{syscall.SIGILL, false},
		{syscall.SIGTRAP, false},
		{syscall.SIGSYS, false},
		{syscall.SIGTTIN, false},
		{syscall.SIGTTOU, false},
		{syscall.SIGKILL, false},
		{syscall.SIGSTOP, false},
		{32, false},
		{33, false},
	} {
		if got := forwarded[tc.sig]; got != tc.want {
			t.Errorf("signal %d forwarded: got %v, want %v", int(tc.sig), got, tc.want)
		}
	}
}
