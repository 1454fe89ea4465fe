package notify

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"
)

// warmPoller makes the runtime open its poller fds before counting.
func warmPoller() {
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	r.SetReadDeadline(time.Now())
	r.Close()
	w.Close()
}

// openFDs returns this process's open fds and what they point to.
func openFDs() map[int]string {
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

func newFDs(before, after map[int]string) []string {
	var leaked []string
	for fd, target := range after {
		if before[fd] != target {
			leaked = append(leaked, fmt.Sprintf("%d -> %s", fd, target))
		}
	}
	slices.Sort(leaked)
	return leaked
}

// checkFDs fails t if t opened fds it did not close.
func checkFDs(t *testing.T) {
	t.Helper()
	before := openFDs()
	t.Cleanup(func() {
		if leaked := newFDs(before, openFDs()); len(leaked) > 0 {
			t.Errorf("leaked fds: %v", leaked)
		}
	})
}
