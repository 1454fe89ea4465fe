package services

import (
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// TestSignalNumbersMatchLinux checks the portable table against the
// numbers and names of the platform the tests run on.
func TestSignalNumbersMatchLinux(t *testing.T) {
	for s := Signal(1); s <= numNamedSignal; s++ {
		if name := unix.SignalName(syscall.Signal(s)); name != "" && name != s.String() {
			t.Errorf("signal %d: table says %s, the kernel headers say %s", int(s), s, name)
		}
	}
	for _, tt := range []struct {
		mine Signal
		sys  syscall.Signal
	}{{SIGHUP, syscall.SIGHUP}, {SIGINT, syscall.SIGINT}, {SIGQUIT, syscall.SIGQUIT}, {SIGKILL, syscall.SIGKILL},
		{SIGUSR1, syscall.SIGUSR1}, {SIGUSR2, syscall.SIGUSR2}, {SIGTERM, syscall.SIGTERM}, {SIGSTOP, syscall.SIGSTOP}} {
		if int(tt.mine) != int(tt.sys) {
			t.Errorf("%v = %d, syscall says %d", tt.mine, int(tt.mine), int(tt.sys))
		}
	}
}
