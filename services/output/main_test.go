package output

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestMain runs the helper program when asked to, and otherwise checks
// that the tests as a whole leak no fd.
func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(runHelper(mode))
	}
	warmPoller()
	before := openFDs()
	code := m.Run()
	if leaked := newFDs(before, openFDs()); code == 0 && len(leaked) > 0 {
		fmt.Fprintf(os.Stderr, "leaked fds: %v\n", leaked)
		code = 1
	}
	os.Exit(code)
}

const helperEnv = "OUTPUT_TEST_HELPER"

// runHelper writes helperLines numbered lines and a last partial line to
// stdout as fast as it can, then exits at once.
func runHelper(mode string) int {
	if mode != "write" {
		return 2
	}
	buf := make([]byte, 0, 64<<10)
	for i := range helperLines {
		buf = fmt.Appendf(buf, "line %d\n", i)
		if len(buf) > 60<<10 {
			os.Stdout.Write(buf)
			buf = buf[:0]
		}
	}
	buf = append(buf, "partial"...)
	os.Stdout.Write(buf)
	return 0
}

const helperLines = 20000

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
