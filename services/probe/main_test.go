package probe

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestMain checks that the tests as a whole leak no fd. Closed connections
// may be released by the HTTP transport's goroutines a moment after a
// probe returns, so the check waits for that, with a deadline.
func TestMain(m *testing.M) {
	warmPoller()
	before := openFDs()
	code := m.Run()
	var leaked []string
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if leaked = newFDs(before, openFDs()); len(leaked) == 0 || time.Now().After(deadline) {
			break
		}
	}
	if code == 0 && len(leaked) > 0 {
		fmt.Fprintf(os.Stderr, "leaked fds: %v\n", leaked)
		code = 1
	}
	os.Exit(code)
}

func warmPoller() {
	r, w, err := os.Pipe()
	if err != nil {
		return
	}
	r.SetReadDeadline(time.Now())
	r.Close()
	w.Close()
}

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
