package reaper

import (
	"context"
	"fmt"
	"github.com/tinit/tinit/internal/testhelper"
	"os"
	"strconv"
	"testing"
	"time"
)

// TestManyLiveProcessesFewThreads: the exits of live children are awaited,
// by a goroutine in Wait for each, without a blocked thread per child
// (the netpoller on the autoreap tier, the one wait loop on the pidfd
// tier).
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
	exits := make(chan error, n)
	defer func() {
		pw.Close() // every cat reads EOF and exits
		for range procs {
			if err := <-exits; err != nil {
				t.Error(err)
			}
		}
		for _, p := range procs {
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
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			e, err := p.Wait(ctx)
			if err == nil && !e.Success() {
				err = fmt.Errorf("cat %d: %v", p.Pid(), e)
			}
			exits <- err
		}()
	}
	time.Sleep(100 * time.Millisecond) // for the waiters to block
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
