package reaper

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/tinit/tinit/internal/testhelper"
)

func TestSignal(t *testing.T) {
	forVariants(t, func(t *testing.T, r *Reaper) {
		p := startSleeper(t, r)
		if err := p.Signal(syscall.SIGTERM); err != nil {
			t.Fatalf("Signal: %v", err)
		}
		if e := waitExit(t, p); e.Signal != syscall.SIGTERM {
			t.Errorf("got %v, want killed by SIGTERM", e)
		}
		if err := p.Signal(syscall.SIGTERM); !errors.Is(err, ErrProcessDone) {
			t.Errorf("Signal after exit: got %v, want ErrProcessDone", err)
		}
		p.Close()
		if err := p.Signal(syscall.SIGTERM); !errors.Is(err, ErrProcessDone) {
			t.Errorf("Signal after exit and Close: got %v, want ErrProcessDone", err)
		}
	})
}

// TestSignalAfterCloseOfRunning: after Close, Signal and SignalGroup
// (either way it is sent) say ErrClosed, Wait too.
func TestSignalAfterCloseOfRunning(t *testing.T) {
	for _, disable := range []Feature{0, PidfdGroupSignal} {
		r := newTestReaper(t, Options{Disable: disable})
		spec := helperSpec(t, "sleep")
		spec.Setpgid = true
		p, err := r.Start(spec)
		if err != nil {
			t.Fatal(err)
		}
		pidfd := pidfdOpen(t, p.Pid())
		p.Close()
		if err := p.Signal(syscall.SIGTERM); !errors.Is(err, ErrClosed) {
			t.Errorf("Signal after Close: got %v, want ErrClosed", err)
		}
		if err := p.SignalGroup(syscall.SIGTERM); !errors.Is(err, ErrClosed) {
			t.Errorf("SignalGroup after Close (%v disabled): got %v, want ErrClosed", disable, err)
		}
		if _, err := p.Wait(context.Background()); !errors.Is(err, ErrClosed) {
			t.Errorf("Wait after Close: got %v, want ErrClosed", err)
		}
		unix.PidfdSendSignal(pidfd, unix.SIGKILL, nil, 0)
		waitPidfdGone(t, pidfd)
		unix.Close(pidfd)
		r.Close()
	}
}

// TestSignalGroup kills a process group through its leader: the leader and
// the sleeping child it started.
func TestSignalGroup(t *testing.T) {
	subreaper(t)
	for _, v := range []struct {
		name    string
		disable Feature
	}{{"pidfd", 0}, {"kill", PidfdGroupSignal}} {
		t.Run(v.name, func(t *testing.T) {
			r := newTestReaper(t, Options{Disable: v.disable})
			s := helperSpec(t, "group")
			s.Setpgid = true
			pids, p := startPrinting(t, r, s)
			defer p.Close()
			child := pidfdOpen(t, pids[0])
			defer unix.Close(child)
			if err := p.SignalGroup(syscall.SIGKILL); err != nil {
				t.Fatalf("SignalGroup: %v", err)
			}
			if e := waitExit(t, p); e.Signal != syscall.SIGKILL {
				t.Errorf("leader: got %v, want killed by SIGKILL", e)
			}
			waitPidfdGone(t, child)
			if err := p.SignalGroup(syscall.SIGKILL); !errors.Is(err, ErrProcessDone) {
				t.Errorf("SignalGroup after exit: got %v, want ErrProcessDone", err)
			}
		})
	}
}

// TestIgnoredSignals checks the child's dispositions with a program that
// does not touch them (a Go helper would install its own handlers).
func TestIgnoredSignals(t *testing.T) {
	cat := lookPath(t, "cat")
	forVariants(t, func(t *testing.T, r *Reaper) {
		// tinit ignores SIGPIPE for itself; the child must not inherit it.
		t.Cleanup(func() { signalReset(syscall.SIGPIPE) })
		signalIgnore(syscall.SIGPIPE)
		for _, ignore := range [][]syscall.Signal{nil, {syscall.SIGHUP, syscall.SIGUSR2, syscall.SIGQUIT}} {
			out, e := output(t, r, &Spec{Path: cat, Args: []string{"cat", "/proc/self/status"}, Ignore: ignore})
			if !e.Success() {
				t.Fatalf("cat: %v", e)
			}
			var want uint64
			for _, s := range ignore {
				want |= 1 << (s - 1)
			}
			if got := statusMask(t, out, "SigIgn"); got != want {
				t.Errorf("Ignore %v: child SigIgn %#x, want %#x", ignore, got, want)
			}
			if got := statusMask(t, out, "SigBlk"); got != 0 {
				t.Errorf("child SigBlk %#x, want none blocked", got)
			}
		}
	})
}

// TestChildSignalMask: a child's signal mask is that of tinit's threads,
// blocked signals included, whether the child resets the runtime's
// handlers itself or the kernel does (CLONE_CLEAR_SIGHAND).
func TestChildSignalMask(t *testing.T) {
	cat := lookPath(t, "cat")
	runtime.LockOSThread() // the mask is this thread's; so are the spawns
	defer runtime.UnlockOSThread()
	var block, old unix.Sigset_t
	block.Val[0] = bit(syscall.SIGWINCH)
	if err := unix.PthreadSigmask(unix.SIG_BLOCK, &block, &old); err != nil {
		t.Fatal(err)
	}
	defer unix.PthreadSigmask(unix.SIG_SETMASK, &old, nil)
	for _, disable := range []Feature{0, ClearSighand} {
		r := newTestReaper(t, Options{Disable: disable})
		out, e := output(t, r, &Spec{Path: cat, Args: []string{"cat", "/proc/self/status"}})
		if !e.Success() {
			t.Fatalf("cat: %v", e)
		}
		if got, want := statusMask(t, out, "SigBlk"), old.Val[0]|bit(syscall.SIGWINCH); got != want {
			t.Errorf("disabled %v: child SigBlk %#x, want %#x", disable, got, want)
		}
		r.Close()
	}
}

func statusMask(t *testing.T, status, key string) uint64 {
	t.Helper()
	for _, line := range strings.Split(status, "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			n, err := strconv.ParseUint(strings.TrimSpace(v), 16, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in status", key)
	return 0
}

// TestAutokillClose: closing an Autokill process that runs kills it.
func TestAutokillClose(t *testing.T) {
	forVariants(t, func(t *testing.T, r *Reaper) {
		s := helperSpec(t, "sleep")
		s.Autokill = true
		p, err := r.Start(s)
		if err != nil {
			t.Fatal(err)
		}
		pidfd := pidfdOpen(t, p.Pid())
		defer unix.Close(pidfd)
		p.Close()
		waitPidfdGone(t, pidfd)
	})
}

// TestAutokillWhenTinitDies: a "tinit" (a helper with its own Reaper)
// starts an Autokill child and is then SIGKILLed; the child must die too.
func TestAutokillWhenTinitDies(t *testing.T) {
	subreaper(t)
	forVariants(t, func(t *testing.T, r *Reaper) {
		s := helperSpec(t, "autokill-parent", strconv.FormatUint(uint64(r.opts.Disable), 10))
		pids, parent := startPrinting(t, r, s)
		defer parent.Close()
		child := pidfdOpen(t, pids[0])
		defer unix.Close(child)
		if gone(child) {
			t.Fatal("child died before its parent")
		}
		parent.Signal(syscall.SIGKILL)
		waitExit(t, parent)
		waitPidfdGone(t, child)
	})
}

// helperAutokillParent plays tinit: "autokill-parent DISABLE" starts an
// Autokill sleeper, prints its pid and waits to be killed.
func helperAutokillParent(args []string) int {
	disable, _ := strconv.ParseUint(args[0], 10, 16)
	r, err := New(Options{Disable: Feature(disable)})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	p, err := r.Start(&Spec{Path: helperPathOf(), Args: []string{"helper-sleep"}, Autokill: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(p.Pid())
	return testhelper.SleepForever()
}

// helperGroup starts a sleeping child in its own process group, prints
// the child's pid and sleeps.
func helperGroup([]string) int {
	r, err := New(Options{})
	if err != nil {
		return 1
	}
	p, err := r.Start(&Spec{Path: helperPathOf(), Args: []string{"helper-sleep"}})
	if err != nil {
		return 1
	}
	fmt.Println(p.Pid())
	return testhelper.SleepForever()
}

func TestOrphansReported(t *testing.T) {
	subreaper(t)
	forReapingVariants(t, func(t *testing.T, r *Reaper) {
		orphans := reportOrphans(r)
		pids, p := startPrinting(t, r, helperSpec(t, "spawn-grandchild"))
		defer p.Close()
		if e := waitExit(t, p); !e.Success() {
			t.Fatalf("spawn-grandchild: %v", e)
		}
		before := r.Orphans()
		grandchild := pidfdOpen(t, pids[0])
		defer unix.Close(grandchild)
		unix.PidfdSendSignal(grandchild, unix.SIGKILL, nil, 0)
		select {
		case got := <-orphans:
			if got != [2]int{pids[0], 128 + 9} {
				t.Errorf("OnOrphan(%d, code %d), want (%d, 137)", got[0], got[1], pids[0])
			}
		case <-time.After(10 * time.Second):
			t.Fatal("orphan not reported")
		}
		if r.Orphans() != before+1 {
			t.Errorf("Orphans() = %d, want %d", r.Orphans(), before+1)
		}
	})
}

// startPrinting starts s with stdout on a pipe and reads one pid per line
// until the helper has printed the first.
func startPrinting(t *testing.T, r *Reaper, s *Spec) ([]int, *Process) {
	t.Helper()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	s.Stdout = pw
	s.Stderr = tempFile(t, "stderr")
	p, err := r.Start(s)
	pw.Close()
	if err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(pr).ReadString('\n')
	pid, perr := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || perr != nil {
		p.Signal(syscall.SIGKILL)
		p.Close()
		stderr, _ := os.ReadFile(s.Stderr.Name())
		t.Fatalf("%v printed %q: %v\nstderr: %s", s.Args, line, err, stderr)
	}
	return []int{pid}, p
}

func waitExit(t *testing.T, p *Process) Exit {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e, err := p.Wait(ctx)
	if err != nil {
		t.Fatalf("wait for pid %d: %v", p.Pid(), err)
	}
	return e
}

func pidfdOpen(t *testing.T, pid int) int {
	t.Helper()
	fd, err := unix.PidfdOpen(pid, 0)
	if err != nil {
		t.Fatalf("pidfd_open %d: %v", pid, err)
	}
	return fd
}

// gone reports whether the process behind pidfd has exited.
func gone(pidfd int) bool { return pidfdExited(pidfd) }

// waitPidfdGone waits, with a deadline, for the process behind pidfd to
// exit.
func waitPidfdGone(t *testing.T, pidfd int) {
	t.Helper()
	fds := []unix.PollFd{{Fd: int32(pidfd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, 10000)
	if err != nil || n == 0 {
		t.Fatalf("process still alive after 10s (%v)", err)
	}
}

// subreaper makes the test process the reaper of its descendants' orphans.
func subreaper(t *testing.T) {
	t.Helper()
	if err := unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); err != nil {
		t.Fatal(err)
	}
}

func lookPath(t *testing.T, name string) string {
	t.Helper()
	for _, dir := range []string{"/usr/bin", "/bin", "/usr/local/bin"} {
		if st, err := os.Stat(dir + "/" + name); err == nil && st.Mode()&0o111 != 0 {
			return dir + "/" + name
		}
	}
	t.Fatalf("%s not found in /usr/bin, /bin: the test needs it", name)
	return ""
}

// TestOrphanCallsOneAtATime: the loop and the wait loop may both report
// orphans at once; OnOrphan still gets one call at a time.
func TestOrphanCallsOneAtATime(t *testing.T) {
	r := newTestReaper(t, Options{})
	var in, most atomic.Int32
	r.opts.OnOrphan = func(int, Exit) {
		n := in.Add(1)
		if n > most.Load() {
			most.Store(n)
		}
		time.Sleep(time.Millisecond)
		in.Add(-1)
	}
	var wg sync.WaitGroup
	for g := range 2 {
		wg.Go(func() {
			for i := range 20 {
				r.onOrphan(1000*g+i, Exit{})
			}
		})
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Errorf("%d OnOrphan calls at once, want 1", most.Load())
	}
}

// TestOrphanPanicCarriesOn: a panic in OnOrphan goes to OnPanic and ends
// that call only: the next orphan is still reaped and reported.
func TestOrphanPanicCarriesOn(t *testing.T) {
	subreaper(t)
	panics := make(chan any, 2)
	orphans := make(chan int, 2)
	first := true
	r := newTestReaper(t, Options{
		OnOrphan: func(pid int, _ Exit) {
			orphans <- pid
			if first {
				first = false
				panic("OnOrphan fails")
			}
		},
		OnPanic: func(v any) { panics <- v },
	})
	for round := range 2 {
		pids, p := startPrinting(t, r, helperSpec(t, "spawn-grandchild"))
		waitExit(t, p)
		p.Close()
		grandchild := pidfdOpen(t, pids[0])
		unix.PidfdSendSignal(grandchild, unix.SIGKILL, nil, 0)
		unix.Close(grandchild)
		select {
		case got := <-orphans:
			if got != pids[0] {
				t.Errorf("round %d: OnOrphan(%d), want %d", round, got, pids[0])
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("round %d: orphan not reported (a panic stopped the reaping?)", round)
		}
	}
	if len(panics) != 1 {
		t.Errorf("OnPanic called %d times, want 1", len(panics))
	}
}

// TestOrphanPanicReapsTheRest: orphans whose SIGCHLDs merged into one are
// all reaped although OnOrphan panics for the first: no other SIGCHLD may
// ever come for the rest. The loop is held in OnSignal, past taking
// SIGCHLD, while both orphans die, so that their SIGCHLDs are one.
func TestOrphanPanicReapsTheRest(t *testing.T) {
	subreaper(t)
	gate := make(chan struct{})
	inSignal := make(chan struct{}, 1)
	r := newTestReaper(t, Options{
		Signals: []syscall.Signal{syscall.SIGUSR2},
		OnSignal: func(syscall.Signal, bool) {
			inSignal <- struct{}{}
			<-gate
		},
		OnOrphan: func(int, Exit) { panic("OnOrphan fails") },
		OnPanic:  func(any) {},
	})
	var orphans []int
	for range 2 {
		pids, p := startPrinting(t, r, helperSpec(t, "spawn-grandchild"))
		waitExit(t, p)
		p.Close()
		orphans = append(orphans, pids[0])
	}
	time.Sleep(100 * time.Millisecond) // the loop has reaped the helpers
	raise(t, syscall.SIGUSR2)
	<-inSignal
	for _, pid := range orphans {
		fd := pidfdOpen(t, pid)
		syscall.Kill(pid, syscall.SIGKILL)
		waitPidfdGone(t, fd)
		syscall.Close(fd)
	}
	close(gate)
	deadline := time.Now().Add(10 * time.Second)
	for _, pid := range orphans {
		for {
			f := statFields(pid)
			if len(f) == 0 || f[0] != "Z" {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("orphan %d is still a zombie 10s after it died", pid)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// TestWaitCanceledThenConcurrent: a Wait whose context ends returns the
// context's error and leaves the process alone; later waiters, several at
// once, each get its exit.
func TestWaitCanceledThenConcurrent(t *testing.T) {
	forVariants(t, func(t *testing.T, r *Reaper) {
		p := startSleeper(t, r)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		if _, err := p.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Wait with a deadline: got %v, want context.DeadlineExceeded", err)
		}
		exits := make(chan Exit, 3)
		for range cap(exits) {
			go func() {
				e, err := p.Wait(context.Background())
				if err != nil {
					t.Errorf("Wait: %v", err)
				}
				exits <- e
			}()
		}
		if err := p.Signal(syscall.SIGTERM); err != nil {
			t.Fatalf("Signal: %v", err)
		}
		for range cap(exits) {
			if e := <-exits; e.Signal != syscall.SIGTERM {
				t.Errorf("got %v, want killed by SIGTERM", e)
			}
		}
	})
}

// A child that Start did not make, made while the reaper has no child at
// all: on the pidfd tier the wait loop then waits for a Start, not in
// waitid, and the SIGCHLD must wake the loop instead (as for an orphan
// that `docker exec`'s process leaves to PID 1).
func TestChildNotStartedReaped(t *testing.T) {
	forReapingVariants(t, func(t *testing.T, r *Reaper) {
		waitNoChildren(t)
		deadline := time.Now().Add(10 * time.Second)
		for !sigchldCaught(t) { // the wait loop has seen it has no child
			if time.Now().After(deadline) {
				t.Fatal("SIGCHLD not caught with no child")
			}
			time.Sleep(time.Millisecond)
		}
		orphans := reportOrphans(r)
		pid, err := syscall.ForkExec(self(t), []string{"helper-exit", "7"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-orphans:
			if got != [2]int{pid, 7} {
				t.Errorf("OnOrphan(%d, code %d), want (%d, 7)", got[0], got[1], pid)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("child %d not reaped", pid)
		}
	})
}

// sigchldCaught says whether SIGCHLD's handler is the reaper's.
func sigchldCaught(t *testing.T) bool {
	t.Helper()
	var act sigaction
	if err := rtSigaction(syscall.SIGCHLD, nil, &act); err != nil {
		t.Fatal(err)
	}
	handler, _ := catchAddrs()
	return act.handler == handler
}

// TestSIGCHLDDiscardedWithChild: on the pidfd tier, while tinit has a
// child, the kernel discards SIGCHLD (the wait loop sleeps in waitid);
// with none left, the handler catches it again. On the autoreap tier it
// is always caught.
func TestSIGCHLDDiscardedWithChild(t *testing.T) {
	forReapingVariants(t, func(t *testing.T, r *Reaper) {
		waitFor := func(what string, caught bool) {
			t.Helper()
			deadline := time.Now().Add(10 * time.Second)
			for sigchldCaught(t) != caught {
				if time.Now().After(deadline) {
					t.Fatalf("%s: SIGCHLD caught is %v, want %v", what, !caught, caught)
				}
				time.Sleep(time.Millisecond)
			}
		}
		waitNoChildren(t)
		waitFor("no child", true)
		p := startSleeper(t, r)
		waitFor("a child", r.Tier() != TierPidfd)
		p.Signal(syscall.SIGKILL)
		waitExit(t, p)
		waitFor("no child again", true)
	})
}

// TestCloseWaitsForOrphanReport: an orphan reaped before Close is
// reported before Close returns, whichever goroutine reaped it (the wait
// loop, on the pidfd tier with a child running): tinit exits right after
// Close, and a warning still to be written would be lost.
func TestCloseWaitsForOrphanReport(t *testing.T) {
	forReapingVariants(t, func(t *testing.T, r *Reaper) {
		p := startSleeper(t, r)
		reporting := make(chan int, 1)
		var reported atomic.Bool
		setOnOrphan(r, func(pid int, e Exit) {
			reporting <- pid
			time.Sleep(200 * time.Millisecond)
			reported.Store(true)
		})
		pid, err := syscall.ForkExec(self(t), []string{"helper-exit", "0"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		select {
		case got := <-reporting:
			if got != pid {
				t.Fatalf("OnOrphan(%d), want %d", got, pid)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("child %d not reaped", pid)
		}
		r.Close()
		if !reported.Load() {
			t.Error("Close returned while OnOrphan still ran")
		}
		p.Signal(syscall.SIGKILL)
		if r.Tier() == TierPidfd { // nobody reaps after Close
			var ws syscall.WaitStatus
			syscall.Wait4(p.Pid(), &ws, 0, nil)
		}
	})
}

// After Close nothing reaps: a child that ends later is left to whoever
// waits for it next (os/exec in the same process, say), on the pidfd
// tier, where the wait loop may still sleep in waitid when Close returns.
func TestCloseLeavesLaterExits(t *testing.T) {
	forVariants(t, func(t *testing.T, r *Reaper) {
		p := startSleeper(t, r)
		r.Close()
		if err := p.Signal(syscall.SIGKILL); err != nil {
			t.Fatalf("Signal: %v", err)
		}
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(p.Pid(), &ws, 0, nil)
		if r.Tier() == TierAutoreap { // never a zombie to wait for
			if err != syscall.ECHILD {
				t.Errorf("wait4 of an autoreap child: %d, %v; want ECHILD", pid, err)
			}
			return
		}
		if err != nil || pid != p.Pid() || ws.Signal() != syscall.SIGKILL {
			t.Errorf("wait4(%d) after Close: %d, %v, status %v; want the child killed by SIGKILL", p.Pid(), pid, err, ws)
		}
	})
}

// TestKernelReapsOrphans: where the kernel publishes a reaped child's
// exit on its pidfd (6.15+), without OnOrphan, the kernel reaps an orphan
// the moment it exits: it is never a zombie, and the loop never sees it;
// a Process's status is still its own. Elsewhere the reaper reaps it.
// Either way nothing is left.
func TestKernelReapsOrphans(t *testing.T) {
	forVariants(t, func(t *testing.T, r *Reaper) {
		fs := r.Features()
		if want := fs.Has(PidfdExitInfo) && fs.Has(PidfdGroupSignal); r.KernelReaps() != want {
			t.Fatalf("KernelReaps() = %v without OnOrphan, with %v; want %v", r.KernelReaps(), &fs, want)
		}
		p := startSleeper(t, r) // a Process alive all along
		before := r.Orphans()
		pid, err := syscall.ForkExec(self(t), []string{"helper-exit", "7"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		pidfd := pidfdOpen(t, pid)
		defer unix.Close(pidfd)
		deadline := time.Now().Add(10 * time.Second)
		for !pidfdExited(pidfd) || procExists(pid) {
			if time.Now().After(deadline) {
				t.Fatalf("child %d: exited %v, still in /proc %v", pid, pidfdExited(pidfd), procExists(pid))
			}
			time.Sleep(time.Millisecond)
		}
		want := before + 1
		if r.KernelReaps() {
			want = before
		}
		for r.Orphans() < want && time.Now().Before(deadline) { // counted after wait4
			time.Sleep(time.Millisecond)
		}
		if got := r.Orphans(); got != want {
			t.Errorf("Orphans() = %d, want %d", got, want)
		}
		p.Signal(syscall.SIGTERM)
		if e := waitExit(t, p); e.Signal != syscall.SIGTERM {
			t.Errorf("the sleeper: %v, want killed by SIGTERM", e)
		}
	})
}

// procExists says whether pid is still in /proc, a zombie included.
func procExists(pid int) bool {
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return err == nil
}

// TestProcessesEndInAnyOrder: several Processes at once, ending in another
// order than they began, each with its own status; where the kernel
// reaps on the pidfd tier, exitLoop waits for the first and the netpoller
// watches the others.
func TestProcessesEndInAnyOrder(t *testing.T) {
	forVariants(t, func(t *testing.T, r *Reaper) {
		sigs := []syscall.Signal{syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP}
		var ps []*Process
		for range sigs {
			ps = append(ps, startSleeper(t, r))
		}
		for _, i := range []int{1, 2, 0} {
			if err := ps[i].Signal(sigs[i]); err != nil {
				t.Fatalf("Signal: %v", err)
			}
			if e := waitExit(t, ps[i]); e.Signal != sigs[i] {
				t.Errorf("process %d: %v, want killed by %v", i, e, sigs[i])
			}
		}
	})
}

// setOnOrphan replaces OnOrphan under the wait lock, after which the
// loops read it (a Reaper made with OnOrphan, by forReapingVariants).
func setOnOrphan(r *Reaper, f func(pid int, e Exit)) {
	r.waitMu.Lock()
	defer r.waitMu.Unlock()
	r.opts.OnOrphan = f
}

// reportOrphans has OnOrphan send each orphan's pid and exit code on the
// channel it returns.
func reportOrphans(r *Reaper) <-chan [2]int {
	orphans := make(chan [2]int, 1)
	setOnOrphan(r, func(pid int, e Exit) { orphans <- [2]int{pid, e.Code()} })
	return orphans
}
