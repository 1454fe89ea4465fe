package reaper

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestPID1ExitCodes runs the basic exit and signal checks with the reaper
// as PID 1 of a new PID namespace.
func TestPID1ExitCodes(t *testing.T) {
	if !asPID1(t) {
		return
	}
	r := newTestReaper(t, Options{})
	for code := 0; code <= 255; code += 15 {
		if e := run(t, r, helperSpec(t, "exit", itoa(code))); e.Code() != code {
			t.Errorf("exit %d: got %v", code, e)
		}
	}
	if e := run(t, r, helperSpec(t, "kill-self", "9")); e.Code() != 137 {
		t.Errorf("kill-self 9: got %v", e)
	}
	var se *StartError
	if _, err := r.Start(&Spec{Path: "/nonexistent/program"}); !errors.As(err, &se) || !se.NotFound() {
		t.Errorf("start of a missing program: %v, want a not-found StartError", err)
	}
	s := helperSpec(t, "status")
	s.Credential = &Credential{UID: 1234, GID: 5678, Groups: []uint32{9}}
	s.NoNewPrivs = true
	kv := status(t, r, s)
	if kv["Uid"] != "1234 1234 1234 1234" || kv["Groups"] != "9" || kv["NoNewPrivs"] != "1" || kv["ppid"] != "1" {
		t.Errorf("as PID 1, child status %v", kv)
	}
}

// TestRaceTorture: as PID 1 of a PID namespace, 8 goroutines start 10,000
// short-lived children, each exiting with a code that identifies it, while
// a storm of 100,000 orphans is reparented to the same reaper. Every
// child's status must be its own; every orphan must be reaped (by the
// reaper, or where it leaves them to the kernel, by the kernel).
func TestRaceTorture(t *testing.T) {
	if !asPID1(t) {
		return
	}
	goroutines, children, batches, batchSize := 8, 10_000, 100, 1000
	if testing.Short() { // in the microVMs, which run under emulation
		children, batches = 64, 2
	}
	r := newTestReaper(t, Options{})
	storm, err := r.Start(helperSpec(t, "storm", itoa(batches), itoa(batchSize)))
	if err != nil {
		t.Fatal(err)
	}
	defer storm.Close()

	var wrong, failed atomic.Int64
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := g; i < children; i += goroutines {
				code := i % 251
				p, err := r.Start(helperSpec(t, "exit", itoa(code)))
				if err != nil {
					failed.Add(1)
					t.Errorf("start child %d: %v", i, err)
					continue
				}
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				e, err := p.Wait(ctx)
				cancel()
				if err != nil {
					failed.Add(1)
					t.Errorf("child %d (pid %d): %v", i, p.Pid(), err)
				} else if e.Code() != code {
					wrong.Add(1)
					t.Errorf("child %d (pid %d): got %v, want exit status %d", i, p.Pid(), e, code)
				}
				p.Close()
			}
		})
	}
	wg.Wait()
	if e := waitExit(t, storm); !e.Success() {
		t.Fatalf("storm: %v", e)
	}
	want := uint64(batches * batchSize)
	if r.KernelReaps() {
		waitNoChildren(t)
		want = 0 // none reached the loop
	}
	deadline := time.Now().Add(60 * time.Second)
	for r.Orphans() < want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := r.Orphans(); got != want {
		t.Errorf("reaped %d orphans, want %d", got, want)
	}
	t.Logf("%d children (%d wrong, %d failed to start), %d orphans", children, wrong.Load(), failed.Load(), r.Orphans())
}

// TestSpawnUnderGCPressure spawns for 10 s with GOGC=10 while another
// goroutine makes garbage: the child between clone and exec shares the
// heap with a collector that moves on without it.
func TestSpawnUnderGCPressure(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	r := newTestReaper(t, Options{})
	stop := make(chan struct{})
	var garbage sync.WaitGroup
	garbage.Go(func() {
		var keep [][]byte
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			keep = append(keep, make([]byte, 1<<10+i%4096))
			if len(keep) > 4096 {
				keep = nil
			}
		}
	})
	defer func() { close(stop); garbage.Wait() }()
	d := 10 * time.Second
	if testing.Short() {
		d = 2 * time.Second
	}
	end := time.Now().Add(d)
	n := 0
	for ; time.Now().Before(end); n++ {
		code := n % 256
		spec := helperSpec(t, "exit", itoa(code))
		spec.Env = []string{fmt.Sprintf("N=%d", n)}
		if e := run(t, r, spec); e.Code() != code {
			t.Fatalf("spawn %d: got %v, want exit status %d", n, e, code)
		}
	}
	t.Logf("%d spawns under GC pressure", n)
}
