package reaper

import (
	"github.com/tinit/tinit/internal/testhelper"
	"os"
	"strconv"
	"testing"
)

// TestManyLiveProcessesFewThreads: the exits of live children are awaited
// without a blocked thread per child (netpoller on the autoreap tier, the
// one SIGCHLD loop on the pidfd tier).
func TestManyLiveProcessesFewThreads(t *testing.T) {
	n := 1000
	if testing.Short() { // the microVMs have 512 MiB and emulated CPUs
		n = 100
	}
	cat := lookPath(t, "cat")
	r := newTestReaper(t, Options{})
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	procs := make([]*Process, 0, n)
	defer func() {
		pw.Close() // every cat reads EOF and exits
		for _, p := range procs {
			if e := waitExit(t, p); !e.Success() {
				t.Errorf("cat %d: %v", p.Pid(), e)
			}
			p.Close()
		}
	}()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	before := threads(t)
	for range n {
		p, err := r.Start(&Spec{Path: cat, Stdin: pr, Stdout: null})
		if err != nil {
			t.Fatal(err)
		}
		procs = append(procs, p)
	}
	if after := threads(t); after > before+16 {
		t.Errorf("%d live children cost %d threads (%d before, %d after)", n, after-before, before, after)
	}
}

func threads(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	n, _ := strconv.Atoi(testhelper.StatusField(string(b), "Threads"))
	return n
}
