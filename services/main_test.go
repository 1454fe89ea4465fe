package services

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestMain checks that the tests as a whole leave no fd open: every pipe,
// readiness fd and /dev/null the supervisor opened was closed by the end
// of its run.
func TestMain(m *testing.M) {
	warmPoller()
	before := openFDs()
	code := m.Run()
	if leaked := newFDs(before, openFDs()); code == 0 && len(leaked) > 0 {
		fmt.Fprintf(os.Stderr, "leaked fds: %v\n", leaked)
		code = 1
	}
	os.Exit(code)
}

// warmPoller makes the runtime open its epoll fds before the count.
func warmPoller() {
	r, w, err := os.Pipe()
	if err == nil {
		r.SetReadDeadline(time.Now())
		r.Close()
		w.Close()
	}
}

func openFDs() map[int]string {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return nil // not Linux: nothing to compare
	}
	fds := map[int]string{}
	for _, e := range entries {
		fd, _ := strconv.Atoi(e.Name())
		fds[fd], _ = os.Readlink("/proc/self/fd/" + e.Name())
	}
	return fds
}

func newFDs(before, after map[int]string) []string {
	var leaked []string
	for fd, target := range after {
		if before[fd] != target && target != "" {
			leaked = append(leaked, fmt.Sprintf("%d -> %s", fd, target))
		}
	}
	slices.Sort(leaked)
	return leaked
}
