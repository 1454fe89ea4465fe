package reaper

import (
	"fmt"
	"syscall"
)

// Exit is how a process ended.
type Exit struct {
	// Status is the exit status (0..255) when the process exited.
	Status int
	// Signal is the signal that killed it, or 0 when it exited.
	Signal syscall.Signal
	// CoreDumped says whether the kernel wrote a core dump.
	CoreDumped bool
}

// exitFromWaitStatus decodes a wait(2) status word.
func exitFromWaitStatus(ws syscall.WaitStatus) Exit {
	if ws.Signaled() {
		return Exit{Signal: ws.Signal(), CoreDumped: ws.CoreDump()}
	}
	return Exit{Status: ws.ExitStatus()}
}

// Code is the exit code a shell would report: the status, or 128 plus the
// signal number.
func (e Exit) Code() int {
	if e.Signal != 0 {
		return 128 + int(e.Signal)
	}
	return e.Status
}

// Success reports whether the process exited with status 0.
func (e Exit) Success() bool { return e.Signal == 0 && e.Status == 0 }

func (e Exit) String() string {
	switch {
	case e.Signal != 0 && e.CoreDumped:
		return fmt.Sprintf("killed by %v (core dumped)", signalName(e.Signal))
	case e.Signal != 0:
		return fmt.Sprintf("killed by %v", signalName(e.Signal))
	default:
		return fmt.Sprintf("exit status %d", e.Status)
	}
}
