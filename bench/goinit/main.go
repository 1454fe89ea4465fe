// Command goinit is the reference "minimal Go init" of bench/initbench:
// what any Go init pays for the Go runtime, before its own design. It
// starts its command with syscall.ForkExec in a process group of its own,
// takes every signal through one os/signal channel, forwards each with
// kill(2), reaps with a wait4(-1, WNOHANG) loop on SIGCHLD, and exits with
// the command's code. Nothing else: no pidfds, no subreaper, no stopping
// of what is left, no reaper goroutine.
//
// Usage: goinit PROGRAM [ARGS...]   (PROGRAM is an absolute path)
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sigs := make(chan os.Signal, 64)
	signal.Notify(sigs)
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: goinit PROGRAM [ARGS...]")
		os.Exit(2)
	}
	child, err := syscall.ForkExec(os.Args[1], os.Args[1:], &syscall.ProcAttr{
		Env:   os.Environ(),
		Files: []uintptr{0, 1, 2},
		Sys:   &syscall.SysProcAttr{Setpgid: true},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "goinit:", err)
		os.Exit(127)
	}
	for s := range sigs {
		switch s {
		case syscall.SIGCHLD:
			if code, done := reap(child); done {
				os.Exit(code)
			}
		case syscall.SIGURG:
		default:
			syscall.Kill(child, s.(syscall.Signal))
		}
	}
}

// reap reaps every exited child; done when child was one of them.
func reap(child int) (code int, done bool) {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if err == syscall.EINTR {
			continue
		}
		if err != nil || pid <= 0 {
			return code, done
		}
		if pid == child {
			code, done = ws.ExitStatus(), true
			if ws.Signaled() {
				code = 128 + int(ws.Signal())
			}
		}
	}
}
