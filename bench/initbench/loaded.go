package main

import (
	"fmt"
	"os/exec"
	"runtime"
	"syscall"
)

// withHogs runs f while one CPU hog per CPU runs beside it: a shell busy
// in a loop of builtins, at the default priority, as a busy host's work
// would be. The hogs are killed when f returns.
func withHogs(f func() error) error {
	var hogs []*exec.Cmd
	defer func() {
		for _, h := range hogs {
			h.Process.Kill()
			h.Wait()
		}
	}()
	for range runtime.NumCPU() {
		h := exec.Command("sh", "-c", "while :; do :; done")
		h.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := h.Start(); err != nil {
			return fmt.Errorf("start a CPU hog: %w", err)
		}
		hogs = append(hogs, h)
	}
	return f()
}
