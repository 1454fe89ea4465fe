package reaper

// The tests of the autoreap tier need Linux 7.1 (CLONE_AUTOREAP,
// CLONE_NNP, CLONE_PIDFD_AUTOKILL). On an older kernel they skip with the
// reason; in the microVMs of test/vm, which set TINIT_EXPECT_TIER, they
// must run and pass.

import (
	"context"
	"fmt"
	"github.com/tinit/tinit/internal/testhelper"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestExpectedTier checks the probe against what the VM harness knows of
// its kernel.
func TestExpectedTier(t *testing.T) {
	fs := Probe()
	t.Logf("probe: %v", &fs)
	want := os.Getenv("TINIT_EXPECT_TIER")
	if want != "" && fs.Tier().String() != want {
		t.Fatalf("tier %v, want %s (TINIT_EXPECT_TIER)", fs.Tier(), want)
	}
	if want == "autoreap" {
		for _, f := range []Feature{Clone3, ClearSighand, IntoCgroup, PidfdExitInfo, Autoreap, NNP, Autokill} {
			if !fs.Has(f) {
				t.Errorf("%v missing on the autoreap tier: %s", f, fs.Why(f))
			}
		}
	}
}

// autoreapReaper returns a Reaper on the autoreap tier, recording the
// orphans it reaps, or skips the test on a kernel without it.
func autoreapReaper(t *testing.T) (*Reaper, *orphanLog) {
	t.Helper()
	fs := Probe()
	if fs.Tier() != TierAutoreap {
		if os.Getenv("TINIT_EXPECT_TIER") == "autoreap" {
			t.Fatalf("no autoreap tier on a kernel expected to have it: %v", &fs)
		}
		t.Skipf("needs CLONE_AUTOREAP (Linux 7.1+), which this kernel lacks (%s): runs in the VM", fs.Why(Autoreap))
	}
	log := &orphanLog{}
	return newTestReaper(t, Options{OnOrphan: log.add}), log
}

type orphanLog struct {
	mu   sync.Mutex
	pids []int
}

func (l *orphanLog) add(pid int, _ Exit) {
	l.mu.Lock()
	l.pids = append(l.pids, pid)
	l.mu.Unlock()
}

func (l *orphanLog) has(pid int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Contains(l.pids, pid)
}

func TestAutoreapStatusFromPidfd(t *testing.T) {
	r, orphans := autoreapReaper(t)
	for _, code := range []int{0, 1, 42, 255} {
		p, err := r.Start(helperSpec(t, "exit", itoa(code)))
		if err != nil {
			t.Fatal(err)
		}
		if e := waitExit(t, p); e.Code() != code {
			t.Errorf("exit %d: got %v", code, e)
		}
		// The kernel reaped it: there is nothing to wait for, ever.
		var ws syscall.WaitStatus
		if _, err := syscall.Wait4(p.Pid(), &ws, syscall.WNOHANG, nil); err != syscall.ECHILD {
			t.Errorf("wait4(%d) after exit: %v, want ECHILD", p.Pid(), err)
		}
		if orphans.has(p.Pid()) {
			t.Errorf("the orphan reaper saw service pid %d", p.Pid())
		}
		p.Close()
	}
}

func TestAutoreapWaitpidWhileRunning(t *testing.T) {
	r, _ := autoreapReaper(t)
	p := startSleeper(t, r)
	// While it runs it is an ordinary child (wait4 says "not yet");
	// once it ends there is nothing to wait for.
	var ws syscall.WaitStatus
	if pid, err := syscall.Wait4(p.Pid(), &ws, syscall.WNOHANG, nil); pid != 0 && err != syscall.ECHILD {
		t.Errorf("wait4(%d) of a running autoreap child: %d, %v; want 0 or ECHILD", p.Pid(), pid, err)
	}
	p.Signal(syscall.SIGKILL)
	if e := waitExit(t, p); e.Signal != syscall.SIGKILL {
		t.Errorf("got %v, want killed by SIGKILL", e)
	}
	if _, err := syscall.Wait4(p.Pid(), &ws, syscall.WNOHANG, nil); err != syscall.ECHILD {
		t.Errorf("wait4(%d) after the exit: %v, want ECHILD", p.Pid(), err)
	}
}

// TestAutoreapLeaderExitsFirst: the exit status of a process whose main
// thread ends before the others is the status of the last thread's
// exit_group, and it is published only when the whole group is gone.
func TestAutoreapLeaderExitsFirst(t *testing.T) {
	r, _ := autoreapReaper(t)
	p, err := r.Start(helperSpec(t, "leader-exit", "7"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if e := waitExit(t, p); e.Code() != 7 {
		t.Errorf("got %v, want exit status 7 (from the last thread)", e)
	}
}

// helperLeaderExit ends the main thread alone; another thread ends the
// process 200 ms later with the code in args[0].
func helperLeaderExit(args []string) int {
	code, _ := strconv.Atoi(args[0])
	go func() {
		time.Sleep(200 * time.Millisecond)
		os.Exit(code)
	}()
	// TestMain runs on the main thread (locked in init): end only it,
	// through Syscall, which hands the thread's P back to the scheduler
	// (with one CPU, a P held by a vanished thread would stop the world).
	for {
		syscall.Syscall(unix.SYS_EXIT, 0, 0, 0)
	}
}

func init() {
	// Keep TestMain, and so every helper, on the main thread: the
	// leader-exit helper needs to end it.
	runtime.LockOSThread()
}

// TestAutoreapGrandchild: AUTOREAP is not inherited, but a child made
// with it keeps it when it is reparented: tinit's orphan reaper never sees
// it, and it leaves no zombie.
func TestAutoreapGrandchild(t *testing.T) {
	subreaper(t)
	r, orphans := autoreapReaper(t)
	pids, p := startPrinting(t, r, helperSpec(t, "autoreap-grandchild"))
	defer p.Close()
	if e := waitExit(t, p); !e.Success() {
		t.Fatalf("autoreap-grandchild: %v", e)
	}
	gc := pidfdOpen(t, pids[0])
	defer unix.Close(gc)
	unix.PidfdSendSignal(gc, unix.SIGKILL, nil, 0)
	waitPidfdGone(t, gc)
	waitNoChildren(t)
	if orphans.has(pids[0]) {
		t.Errorf("the orphan reaper reaped autoreap grandchild %d", pids[0])
	}
}

// helperAutoreapGrandchild starts an autoreap child with its own Reaper,
// prints its pid and exits, leaving it to be reparented.
func helperAutoreapGrandchild([]string) int {
	r, err := New(Options{})
	if err != nil || r.Tier() != TierAutoreap {
		fmt.Fprintln(os.Stderr, "no autoreap tier:", err)
		return 1
	}
	p, err := r.Start(&Spec{Path: helperPathOf(), Args: []string{"helper-sleep"}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(p.Pid())
	return 0
}

// TestAutokillKernel: with CLONE_PIDFD_AUTOKILL it is the clone3 pidfd's
// file that keeps the child alive: a dup of it does, a pidfd_open fd does
// not.
func TestAutokillKernel(t *testing.T) {
	r, _ := autoreapReaper(t)
	s := helperSpec(t, "sleep")
	s.Autokill = true
	p, err := r.Start(s)
	if err != nil {
		t.Fatal(err)
	}
	other := pidfdOpen(t, p.Pid())
	defer unix.Close(other)
	var dup int
	rc, _ := p.pidfd.SyscallConn()
	rc.Control(func(fd uintptr) { dup, err = unix.FcntlInt(fd, unix.F_DUPFD_CLOEXEC, 0) })
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	if pidfdExited(other) {
		t.Fatal("child died although a dup of its clone3 pidfd is open")
	}
	unix.Close(dup)
	waitPidfdGone(t, other)
}

// TestAutokillNeedsNNPUnprivileged: without CAP_SYS_ADMIN the kernel
// refuses CLONE_PIDFD_AUTOKILL alone (EPERM); tinit then adds CLONE_NNP.
func TestAutokillNeedsNNPUnprivileged(t *testing.T) {
	r, _ := autoreapReaper(t)
	s := helperSpec(t, "autokill-unprivileged")
	s.Credential = &Credential{UID: 65534, GID: 65534}
	out, e := output(t, r, s)
	if !e.Success() {
		t.Fatalf("autokill-unprivileged: %v\n%s", e, out)
	}
	kv := keyValues(out)
	if kv["needsNNP"] != "true" || kv["child"] != "1" || kv["self"] != "0" {
		t.Errorf("unprivileged: %q; want needsNNP=true, child NoNewPrivs 1, parent 0", out)
	}
}

// helperAutokillUnprivileged runs as nobody: it probes, starts an Autokill
// child and reports the child's and its own no_new_privs.
func helperAutokillUnprivileged([]string) int {
	fs := Probe()
	r, err := New(Options{})
	if err != nil {
		fmt.Println("err=" + err.Error())
		return 1
	}
	pr, pw, _ := os.Pipe()
	p, err := r.Start(&Spec{Path: helperPathOf(), Args: []string{"helper-status"}, Stdout: pw, Autokill: true})
	pw.Close()
	if err != nil {
		fmt.Println("err=" + err.Error())
		return 1
	}
	b := make([]byte, 4096)
	n, _ := readAll(pr, b)
	p.Wait(context.Background())
	self, _ := os.ReadFile("/proc/self/status")
	fmt.Printf("needsNNP=%v\nchild=%s\nself=%s\n", fs.AutokillNeedsNNP,
		keyValues(string(b[:n]))["NoNewPrivs"], testhelper.StatusField(string(self), "NoNewPrivs"))
	return 0
}
