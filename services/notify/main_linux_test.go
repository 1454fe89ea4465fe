package notify

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
)

const helperEnv = "NOTIFY_TEST_HELPER"

// TestMain runs the helper program when asked to, and otherwise checks
// that the tests as a whole leak no fd and leave no child behind.
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
	if kids := children(); code == 0 && len(kids) > 0 {
		fmt.Fprintf(os.Stderr, "children left: %v\n", kids)
		code = 1
	}
	os.Exit(code)
}

// children lists the processes whose parent is this one, zombies included.
func children() []string {
	entries, _ := os.ReadDir("/proc")
	self := int32(os.Getpid())
	var kids []string
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if st, err := ReadProcStat(int32(pid)); err == nil && st.PPID == self {
			comm, _ := os.ReadFile("/proc/" + e.Name() + "/comm")
			kids = append(kids, e.Name()+" "+strings.TrimSpace(string(comm)))
		}
	}
	return kids
}
