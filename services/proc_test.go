package services

import (
	"fmt"
	"syscall"
	"testing"
)

// spawnFailure is an error as reaper.StartError reports a failed exec.
type spawnFailure struct {
	errno syscall.Errno
}

func (e spawnFailure) Error() string  { return "start: execve: " + e.errno.Error() }
func (e spawnFailure) Unwrap() error  { return e.errno }
func (e spawnFailure) NotFound() bool { return e.errno == syscall.ENOENT }
func (e spawnFailure) NotExecutable() bool {
	return e.errno == syscall.EACCES || e.errno == syscall.ENOEXEC
}

func TestClassifyStart(t *testing.T) {
	tests := []struct {
		err  error
		want string
		code int
	}{
		{fmt.Errorf("look up %q in PATH: %w", "web", errNotFound), "web: command not found", 127},
		{fmt.Errorf("look up %q in PATH: %w", "web", errNotExecutable), "web: cannot execute: permission denied", 126},
		{spawnFailure{syscall.ENOENT}, "web: command not found", 127},
		{spawnFailure{syscall.EACCES}, "web: cannot execute: permission denied", 126},
		{spawnFailure{syscall.ENOEXEC}, "web: cannot execute: exec format error", 126},
		{spawnFailure{syscall.E2BIG}, "start: execve: argument list too long", 1},
		{fmt.Errorf("user %q: unknown", "www"), `user "www": unknown`, 1},
	}
	for _, tt := range tests {
		status, why := classifyStart("web", tt.err)
		if why != tt.want || status.Code != tt.code {
			t.Errorf("classifyStart(%v) = %d, %q; want %d, %q", tt.err, status.Code, why, tt.code, tt.want)
		}
	}
}
