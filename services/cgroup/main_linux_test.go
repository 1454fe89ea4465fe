package cgroup

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain checks that the tests as a whole leak no fd, leave no child
// process and no test cgroup behind.
func TestMain(m *testing.M) {
	warmPoller()
	before := openFDs()
	code := m.Run()
	if leaked := newFDs(before, openFDs()); code == 0 && len(leaked) > 0 {
		fmt.Fprintf(os.Stderr, "leaked fds: %v\n", leaked)
		code = 1
	}
	if kids := children(); code == 0 && len(kids) > 0 {
		fmt.Fprintf(os.Stderr, "children left: %v\n", kids)
		code = 1
	}
	if own, err := Discover(); err == nil {
		if left, _ := filepath.Glob(filepath.Join(own, testPrefix()+"*")); code == 0 && len(left) > 0 {
			fmt.Fprintf(os.Stderr, "cgroups left: %v\n", left)
			code = 1
		}
	}
	os.Exit(code)
}

func testPrefix() string { return fmt.Sprintf("tinit-test-%d-", os.Getpid()) }

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

func checkFDs(t *testing.T) {
	t.Helper()
	before := openFDs()
	t.Cleanup(func() {
		if leaked := newFDs(before, openFDs()); len(leaked) > 0 {
			t.Errorf("leaked fds: %v", leaked)
		}
	})
}

// children lists the processes whose parent is this one, zombies included.
func children() []string {
	entries, _ := os.ReadDir("/proc")
	self := strconv.Itoa(os.Getpid())
	var kids []string
	for _, e := range entries {
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(b)
		if f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:]); len(f) > 1 && f[1] == self {
			kids = append(kids, e.Name())
		}
	}
	return kids
}
