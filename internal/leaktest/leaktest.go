// Package leaktest finds what a test left behind: open fds and child
// processes. Only tests import it.
package leaktest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FDs returns this process's open fds and what they point to; nil where
// /proc/self/fd cannot be read (not Linux).
func FDs() map[int]string {
	if runtime.GOOS != "linux" {
		return nil
	}
	dir, err := os.Open("/proc/self/fd")
	if err != nil {
		return nil
	}
	defer dir.Close()
	names, _ := dir.Readdirnames(-1)
	fds := map[int]string{}
	for _, name := range names {
		fd, _ := strconv.Atoi(name)
		if uintptr(fd) == dir.Fd() {
			continue
		}
		fds[fd], _ = os.Readlink("/proc/self/fd/" + name)
	}
	return fds
}

// NewFDs lists, as "fd -> target", the fds of after that before did not
// have.
func NewFDs(before, after map[int]string) []string {
	var leaked []string
	for fd, target := range after {
		if before[fd] != target {
			leaked = append(leaked, fmt.Sprintf("%d -> %s", fd, target))
		}
	}
	slices.Sort(leaked)
	return leaked
}

// WarmPoller makes the runtime open its netpoller fds now, so that they
// are not counted as leaked by the first test that uses it.
func WarmPoller() {
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	r.SetReadDeadline(time.Now())
	r.Close()
	w.Close()
}

// Check fails t, at its end, if it opened fds it did not close. Cleanups
// registered after it run before its check.
func Check(t testing.TB) {
	t.Helper()
	WarmPoller()
	before := FDs()
	t.Cleanup(func() {
		if leaked := NewFDs(before, FDs()); len(leaked) > 0 {
			t.Errorf("leaked fds: %v", leaked)
		}
	})
}

// Children returns the pids of this process's children, zombies
// included; nil where /proc cannot tell.
func Children() []int {
	files, _ := filepath.Glob("/proc/self/task/*/children")
	var pids []int
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the thread ended meanwhile
		}
		for _, s := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(s); err == nil {
				pids = append(pids, pid)
			}
		}
	}
	return pids
}

// Main runs the tests of m and fails them when, as a whole, they leaked an
// fd or left a child. Fds that other goroutines close a moment later (an
// HTTP transport's connections) get up to settle to go.
func Main(m *testing.M, settle time.Duration) int {
	WarmPoller()
	before := FDs()
	code := m.Run()
	var leaked []string
	// No event says when another goroutine closes its fd: poll, bounded.
	for deadline := time.Now().Add(settle); ; time.Sleep(10 * time.Millisecond) {
		if leaked = NewFDs(before, FDs()); len(leaked) == 0 || !time.Now().Before(deadline) {
			break
		}
	}
	if code == 0 && len(leaked) > 0 {
		fmt.Fprintf(os.Stderr, "leaked fds: %v\n", leaked)
		code = 1
	}
	if kids := Children(); code == 0 && len(kids) > 0 {
		fmt.Fprintf(os.Stderr, "children left: %v\n", kids)
		code = 1
	}
	return code
}
