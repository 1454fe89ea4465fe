//go:build !linux

package services

import "os"

// childPipe makes a pipe for a child's output; see pipe_linux.go.
func childPipe() (r, w *os.File, err error) { return os.Pipe() }
