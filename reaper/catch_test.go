package reaper

import (
	"bufio"
	"context"
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

type caught struct {
	sig       syscall.Signal
	forwarded bool
}

// catchingReaper starts a reaper that catches sigs and reports them on
// the returned channel.
func catchingReaper(t *testing.T, sigs ...syscall.Signal) (*Reaper, chan caught) {
	t.Helper()
	got := make(chan caught, 16)
	r := newTestReaper(t, Options{
		Signals:  sigs,
		OnSignal: func(sig syscall.Signal, forwarded bool) { got <- caught{sig, forwarded} },
	})
	return r, got
}

// startKillable starts a child that SIGUSR1 and SIGUSR2 end, and returns
// once they do: until the child has set them back to the default action,
// its Go runtime would ignore them.
func startKillable(t *testing.T, r *Reaper) *Process {
	t.Helper()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	spec := helperSpec(t, "killable")
	spec.Stdout = pw
	p, err := r.Start(spec)
	pw.Close()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	if line, err := bufio.NewReader(pr).ReadString('\n'); line != "ready\n" {
		p.Signal(syscall.SIGKILL)
		t.Fatalf("the child did not say it was ready: %q, %v", line, err)
	}
	return p
}

func raise(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := syscall.Kill(os.Getpid(), sig); err != nil {
		t.Fatal(err)
	}
}

func expectCaught(t *testing.T, got <-chan caught, want caught) {
	t.Helper()
	select {
	case c := <-got:
		if c != want {
			t.Errorf("OnSignal(%v, %v), want OnSignal(%v, %v)", c.sig, c.forwarded, want.sig, want.forwarded)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no OnSignal(%v, %v) within 10s", want.sig, want.forwarded)
	}
}

// TestRelay: a relayed signal reaches the child as its route says, from
// the handler (only the handler marks a signal forwarded), and OnSignal hears of it before the child's end is seen;
// one routed nowhere only reaches OnSignal; after the child has ended,
// OnSignal hears the signal was not forwarded.
func TestRelay(t *testing.T) {
	r, got := catchingReaper(t, syscall.SIGUSR1, syscall.SIGWINCH)
	p := startKillable(t, r)
	route := func(sig syscall.Signal) (syscall.Signal, bool) {
		if sig == syscall.SIGUSR1 {
			return syscall.SIGUSR2, false
		}
		return 0, false
	}
	if err := r.Relay(p, route); err != nil {
		t.Fatal(err)
	}
	raise(t, syscall.SIGWINCH)
	expectCaught(t, got, caught{syscall.SIGWINCH, false})
	select {
	case <-p.Done():
		t.Fatalf("the child ended on a signal routed nowhere: %v", p.Exit())
	default:
	}
	raise(t, syscall.SIGUSR1)
	expectKilledAfterReport(t, p, got, syscall.SIGUSR2, syscall.SIGUSR1)
	raise(t, syscall.SIGUSR1)
	expectCaught(t, got, caught{syscall.SIGUSR1, false})
}

// TestRelayDeferForwarded: with Options.DeferForwarded a forwarded
// signal does not wake the loop; OnSignal hears of it with the next
// wake-up (a signal not forwarded here), and still before the end of the
// child it ended.
func TestRelayDeferForwarded(t *testing.T) {
	got := make(chan caught, 16)
	r := newTestReaper(t, Options{
		Signals:        []syscall.Signal{syscall.SIGUSR1, syscall.SIGUSR2, syscall.SIGWINCH},
		OnSignal:       func(sig syscall.Signal, forwarded bool) { got <- caught{sig, forwarded} },
		DeferForwarded: true,
	})
	p := startKillable(t, r)
	route := func(sig syscall.Signal) (syscall.Signal, bool) {
		if sig == syscall.SIGUSR2 {
			return 0, false
		}
		return sig, false
	}
	if err := r.Relay(p, route); err != nil {
		t.Fatal(err)
	}
	raise(t, syscall.SIGWINCH) // forwarded; the child ignores it
	select {
	case c := <-got:
		t.Fatalf("OnSignal(%v, %v) at once: the forwarded signal woke the loop", c.sig, c.forwarded)
	case <-time.After(200 * time.Millisecond):
	}
	raise(t, syscall.SIGUSR2) // routed nowhere: wakes the loop
	expectCaught(t, got, caught{syscall.SIGUSR2, false})
	expectCaught(t, got, caught{syscall.SIGWINCH, true})
	raise(t, syscall.SIGUSR1)
	expectKilledAfterReport(t, p, got, syscall.SIGUSR1, syscall.SIGUSR1)
}

// expectKilledAfterReport waits for p to die of signal killed, which the
// handler forwarded when it caught raised: OnSignal(raised, true) must
// have been called by the time the end is seen.
func expectKilledAfterReport(t *testing.T, p *Process, got <-chan caught, killed, raised syscall.Signal) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if e, err := p.Wait(ctx); err != nil || e.Signal != killed {
		t.Fatalf("child: %v, %v; want killed by %v", e, err, killed)
	}
	select {
	case c := <-got:
		if want := (caught{raised, true}); c != want {
			t.Errorf("OnSignal(%v, %v), want OnSignal(%v, %v)", c.sig, c.forwarded, want.sig, want.forwarded)
		}
	default:
		t.Errorf("the child's end was seen before OnSignal(%v, true)", raised)
	}
}

// TestCatchGivesSignalsBack: Close restores the actions the reaper took
// over, the Go runtime's handler included.
func TestCatchGivesSignalsBack(t *testing.T) {
	sigs := []syscall.Signal{syscall.SIGCHLD, syscall.SIGUSR1, syscall.SIGTSTP}
	before := make([]sigaction, len(sigs))
	for i, s := range sigs {
		before[i] = currentAction(t, s)
	}
	r, err := New(Options{Signals: sigs[1:]})
	if err != nil {
		t.Fatal(err)
	}
	handler, _ := catchAddrs()
	for _, s := range sigs {
		a := currentAction(t, s)
		if s == syscall.SIGCHLD && r.KernelReaps() {
			if a.handler != sigDFL || a.flags&saNocldwait == 0 {
				t.Errorf("%v: action %+v while the kernel reaps, want SIG_DFL with SA_NOCLDWAIT", s, a)
			}
			continue
		}
		if a.handler != handler {
			t.Errorf("%v: handler %#x while the reaper runs, want catchHandler %#x", s, a.handler, handler)
		}
	}
	r.Close()
	for i, s := range sigs {
		if a := currentAction(t, s); a != before[i] {
			t.Errorf("%v: action %+v after Close, want %+v as before", s, a, before[i])
		}
	}
}

func currentAction(t *testing.T, s syscall.Signal) sigaction {
	t.Helper()
	var a sigaction
	if _, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(s), 0, uintptr(unsafe.Pointer(&a)), 8, 0, 0); e != 0 {
		t.Fatal(e)
	}
	return a
}

// TestCatchRefuses: signals the reaper must not take are refused, with
// the reason, and the refusal leaves nothing behind.
func TestCatchRefuses(t *testing.T) {
	for _, tt := range []struct {
		sigs []syscall.Signal
		want string
	}{
		{[]syscall.Signal{syscall.SIGCHLD}, "the reaper's own"},
		{[]syscall.Signal{syscall.SIGURG}, "preemption"},
		{[]syscall.Signal{syscall.SIGSEGV}, "synchronous"},
		{[]syscall.Signal{syscall.SIGKILL}, "cannot be caught"},
		{[]syscall.Signal{33}, "reserved"},
		{[]syscall.Signal{65}, "no signal"},
		{[]syscall.Signal{syscall.SIGUSR1, syscall.SIGUSR1}, "given twice"},
	} {
		r, err := New(Options{Signals: tt.sigs})
		if err == nil {
			r.Close()
			t.Errorf("New catching %v: no error", tt.sigs)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New catching %v: %q, want it to say %q", tt.sigs, err, tt.want)
		}
	}
	newTestReaper(t, Options{}) // a refused New leaves the way clear
}

// TestCatchResetInChild: without CLONE_CLEAR_SIGHAND, the child resets
// the caught signals itself before exec (with every other: it does not
// run the runtime's AfterForkInChild, which would reset only the
// runtime's handlers, and SIGTSTP is not one).
func TestCatchResetInChild(t *testing.T) {
	for _, disable := range []Feature{0, ClearSighand} {
		r := newTestReaper(t, Options{Disable: disable, Signals: []syscall.Signal{syscall.SIGTSTP}})
		fs := r.Features()
		pl, err := r.prepare(helperSpec(t, "exit"))
		if err != nil {
			t.Fatal(err)
		}
		got, want := pl.sigDefault&bit(syscall.SIGTSTP) != 0, !fs.Has(ClearSighand)
		if got != want {
			t.Errorf("disabled %v: the child resets SIGTSTP: %v, want %v", disable, got, want)
		}
		r.Close()
	}
}

// TestRelayReplaced: a second Relay takes the handler's forwarding over
// from the first; the first process is no longer reached.
func TestRelayReplaced(t *testing.T) {
	r, got := catchingReaper(t, syscall.SIGUSR1)
	same := func(s syscall.Signal) (syscall.Signal, bool) { return s, false }
	var ps []*Process
	for range 2 {
		p := startKillable(t, r)
		if err := r.Relay(p, same); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	raise(t, syscall.SIGUSR1)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if e, err := ps[1].Wait(ctx); err != nil || e.Signal != syscall.SIGUSR1 {
		t.Fatalf("second child: %v, %v; want killed by SIGUSR1", e, err)
	}
	expectCaught(t, got, caught{syscall.SIGUSR1, true})
	select {
	case <-ps[0].Done():
		t.Errorf("the first child ended (%v): the replaced relay still reached it", ps[0].Exit())
	default:
	}
	ps[0].Signal(syscall.SIGKILL)
	ps[0].Wait(ctx)
}

// TestOwnSIGPIPENotForwarded: a write of tinit's own to a pipe whose
// reader is gone raises SIGPIPE in tinit (the kernel sends it as if from
// tinit itself). That is no signal for the child: the handler neither
// forwards nor reports it, and the write fails with EPIPE. A SIGPIPE that
// another process sends is forwarded as before.
func TestOwnSIGPIPENotForwarded(t *testing.T) {
	heard := make(chan syscall.Signal, 4)
	r := newTestReaper(t, Options{Signals: []syscall.Signal{syscall.SIGPIPE}, OnSignal: func(s syscall.Signal, _ bool) { heard <- s }})
	// Not a Go helper: the Go runtime ignores a SIGPIPE that no write of
	// its own caused.
	p, err := r.Start(&Spec{Path: lookPath(t, "sleep"), Args: []string{"sleep", "60"}})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		p.Signal(syscall.SIGKILL)
		p.Close()
	}()
	if err := r.Relay(p, func(s syscall.Signal) (syscall.Signal, bool) { return s, false }); err != nil {
		t.Fatal(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	pr.Close()
	_, werr := pw.Write([]byte("x"))
	pw.Close()
	if !errors.Is(werr, syscall.EPIPE) {
		t.Errorf("write to a pipe without reader: %v, want EPIPE", werr)
	}
	select {
	case <-p.Done():
		t.Fatalf("the child ended (%v): tinit's own SIGPIPE reached it", p.Exit())
	case s := <-heard:
		t.Errorf("OnSignal(%v) for tinit's own SIGPIPE", s)
	case <-time.After(300 * time.Millisecond):
	}
	// From another process, SIGPIPE goes on to the child.
	if e := run(t, r, &Spec{Path: lookPath(t, "sh"), Args: []string{"sh", "-c", "kill -PIPE $PPID"}}); !e.Success() {
		t.Fatalf("kill -PIPE: %v", e)
	}
	if e := waitExit(t, p); e.Signal != syscall.SIGPIPE {
		t.Errorf("child after kill -PIPE from outside: %v, want killed by SIGPIPE", e)
	}
}
