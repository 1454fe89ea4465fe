package reaper

import (
	"context"
	"errors"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/tinit/tinit/internal/leaktest"
)

// TestStopDescendants builds a tree (child → grandchild, plus an orphan
// reparented to tinit), signals all of it and waits until no child is
// left; as a subreaper (walking /proc) and as PID 1 (kill -1). The
// grandchild is reparented to tinit when its parent dies, possibly after
// the walk: it must be signalled then.
func TestStopDescendants(t *testing.T) {
	asSubreaperAndPID1(t, func(t *testing.T) {
		r := newTestReaper(t, Options{})
		orphan, p := startPrinting(t, r, helperSpec(t, "spawn-grandchild"))
		waitExit(t, p)
		p.Close()
		gc, group := startPrinting(t, r, helperSpec(t, "group"))
		defer group.Close()
		watch := []int{pidfdOpen(t, orphan[0]), pidfdOpen(t, gc[0])}
		defer func() {
			for _, fd := range watch {
				unix.Close(fd)
			}
		}()
		kids, err := Children()
		if err != nil || len(kids) != 2 {
			t.Fatalf("Children() = %v, %v; want the orphan and the group leader", kids, err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if _, err := r.StopDescendants(ctx, syscall.SIGTERM); err != nil {
			t.Fatalf("StopDescendants: %v", err)
		}
		for _, fd := range watch {
			if !pidfdExited(fd) {
				t.Error("a descendant survived")
			}
		}
		if e := waitExit(t, group); e.Signal != syscall.SIGTERM {
			t.Errorf("group leader: %v, want killed by SIGTERM", e)
		}
	})
}

// TestWaitAnyExitGone: a pid that is gone before its pidfd is opened ends
// the wait at once (look again), and the pidfds opened for the pids
// before it are closed, not leaked.
func TestWaitAnyExitGone(t *testing.T) {
	r := newTestReaper(t, Options{})
	live, err := r.Start(helperSpec(t, "sleep"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		live.Signal(syscall.SIGKILL)
		waitExit(t, live)
		live.Close()
	}()
	gone, err := r.Start(helperSpec(t, "exit", "0"))
	if err != nil {
		t.Fatal(err)
	}
	waitExit(t, gone)
	gone.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.waitAnyExit(ctx, []int{live.Pid(), gone.Pid()}, make(chan struct{})); err != nil {
		t.Fatalf("waitAnyExit with a pid already gone: %v, want nil at once", err)
	}
}

// TestSignalDescendantsCount: signalDescendants says whether it reached
// anyone, as PID 1 too (kill(-1) does not tell): a supervisor waits for
// the stragglers only when there are some.
func TestSignalDescendantsCount(t *testing.T) {
	asSubreaperAndPID1(t, func(t *testing.T) {
		r := newTestReaper(t, Options{})
		p := startSleeper(t, r)
		if n, err := r.signalDescendants(syscall.SIGTERM, nil); n != 1 || err != nil {
			t.Errorf("signalDescendants with a child = %d, %v; want 1", n, err)
		}
		waitExit(t, p)
		if n, err := r.signalDescendants(syscall.SIGTERM, nil); n != 0 || err != nil {
			t.Errorf("signalDescendants with no one left = %d, %v; want 0", n, err)
		}
	})
}

// TestChildrenOfEveryThread: a child belongs to the thread that forked
// it, so the children of tinit are those of all its threads. Two
// goroutines, each on a thread of its own, start one child each; both
// are listed. A pid that is gone is an error that names its directory.
func TestChildrenOfEveryThread(t *testing.T) {
	var started [2]*exec.Cmd
	var wg sync.WaitGroup
	hold := make(chan struct{})
	for i := range started {
		ready := make(chan struct{})
		wg.Go(func() {
			runtime.LockOSThread() // never unlocked: the thread ends with it
			cmd := exec.Command("sleep", "60")
			if err := cmd.Start(); err != nil {
				t.Error(err)
			} else {
				started[i] = cmd
			}
			close(ready)
			<-hold
		})
		<-ready
	}
	defer func() {
		close(hold)
		wg.Wait()
		for _, cmd := range started {
			if cmd != nil {
				cmd.Process.Kill()
				cmd.Wait()
			}
		}
	}()
	if t.Failed() {
		return
	}
	kids, err := childrenOf("self")
	if err != nil {
		t.Fatal(err)
	}
	for _, cmd := range started {
		if !slices.Contains(kids, cmd.Process.Pid) {
			t.Errorf("childrenOf(self) = %v; want %d among them", kids, cmd.Process.Pid)
		}
	}
	if _, err := childrenOf("2147483647"); err == nil || !strings.Contains(err.Error(), "/proc/2147483647/task/") {
		t.Errorf("childrenOf(a gone pid): %v; want an error naming /proc/2147483647/task/", err)
	}
}

// TestChildless: no child, a living child, a zombie child, its reap;
// and a child of another thread's.
func TestChildless(t *testing.T) {
	if !childless() {
		t.Fatalf("childless() = false before any child; children: %v", leaktest.Children())
	}
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	if childless() {
		t.Error("childless() = true with a living child")
	}
	cmd.Process.Kill()
	var si unix.Siginfo
	if err := unix.Waitid(unix.P_PID, cmd.Process.Pid, &si, unix.WEXITED|unix.WNOWAIT, nil); err != nil {
		t.Fatal(err)
	}
	if childless() {
		t.Error("childless() = true with a zombie child")
	}
	cmd.Wait()
	if !childless() {
		t.Error("childless() = false once the child is reaped")
	}
	done := make(chan struct{})
	var other *exec.Cmd
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with it
		other = exec.Command("sleep", "60")
		if err := other.Start(); err != nil {
			t.Error(err)
			other = nil
		}
		close(done)
	}()
	<-done
	if other == nil {
		return
	}
	if childless() {
		t.Error("childless() = true with a child of another thread")
	}
	other.Process.Kill()
	other.Wait()
}

// asSubreaperAndPID1 runs f as a subreaper, then as PID 1 of a new PID
// namespace.
func asSubreaperAndPID1(t *testing.T, f func(t *testing.T)) {
	for _, pid1 := range []bool{false, true} {
		name := map[bool]string{false: "subreaper", true: "pid1"}[pid1]
		t.Run(name, func(t *testing.T) {
			if pid1 && !asPID1(t) {
				return
			}
			subreaper(t)
			f(t)
		})
	}
}

// TestSignalGroupMembers: once a group leader has ended, the member it
// left behind is reached through SignalGroupMembers; with none left, the
// answer is ErrProcessDone.
func TestSignalGroupMembers(t *testing.T) {
	subreaper(t)
	r := newTestReaper(t, Options{})
	s := helperSpec(t, "spawn-grandchild")
	s.Setpgid = true
	member, leader := startPrinting(t, r, s)
	waitExit(t, leader)
	leader.Close()
	watch := pidfdOpen(t, member[0])
	defer unix.Close(watch)
	if err := SignalGroupMembers(leader.Pid(), syscall.SIGTERM); err != nil {
		t.Fatalf("SignalGroupMembers with a member left: %v", err)
	}
	waitPidfdGone(t, watch)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.WaitChildless(ctx); err != nil {
		t.Fatal(err)
	}
	if err := SignalGroupMembers(leader.Pid(), syscall.SIGTERM); !errors.Is(err, ErrProcessDone) {
		t.Errorf("SignalGroupMembers with no member: %v, want ErrProcessDone", err)
	}
}
