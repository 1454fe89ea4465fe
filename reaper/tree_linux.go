package reaper

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// The stragglers: at shutdown tinit signals every process left below it
// and waits until none is left, however they got there (children it
// started, orphans reparented to it, their children).

// Children returns the pids of tinit's children that are not reaped yet,
// living or zombie, from /proc/self/task/*/children. When there is any,
// it fails if /proc is not mounted, or belongs to another PID namespace
// (its pids would be other processes' here).
func Children() ([]int, error) {
	if childless() {
		return nil, nil
	}
	if err := procIsOurs(); err != nil {
		return nil, err
	}
	return childrenOf("self")
}

// childless reports whether tinit has no child at all, living or zombie,
// in any of its threads, whatever its exit signal (__WALL): one system
// call where /proc takes a file per thread. A child being reaped already
// (by the kernel, or by the reaper's loop) no longer counts.
func childless() bool { return peekChildren(unix.WALL) == syscall.ECHILD }

// procIsOurs checks that /proc shows this PID namespace.
func procIsOurs() error {
	self, err := os.Readlink("/proc/self")
	if err != nil {
		return fmt.Errorf("list children: %w (is /proc mounted?)", err)
	}
	if self != strconv.Itoa(os.Getpid()) {
		return fmt.Errorf("list children: /proc belongs to another PID namespace (/proc/self is %s, tinit is %d)", self, os.Getpid())
	}
	return nil
}

// childrenOf reads /proc/PID/task/TID/children for each thread of pid.
// It lists the task directory itself rather than globbing: a glob reads
// every thread's own directory to match "children", and building those
// entries cost a quarter of `tinit -- true`'s CPU.
func childrenOf(pid string) ([]int, error) {
	dir := "/proc/" + pid + "/task/"
	tids, err := readDirNames(dir)
	if err != nil {
		return nil, fmt.Errorf("list children: %w (is /proc mounted?)", err)
	}
	var pids []int
	read := false
	for _, tid := range tids {
		b, err := os.ReadFile(dir + tid + "/children")
		if err != nil {
			continue // the thread is gone
		}
		read = true
		for _, s := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(s); err == nil {
				pids = append(pids, n)
			}
		}
	}
	if !read {
		return nil, fmt.Errorf("list children: no %q could be read (is /proc mounted, with CONFIG_PROC_CHILDREN?)", dir+"TID/children")
	}
	return pids, nil
}

// readDirNames lists a directory's entries, unsorted.
func readDirNames(dir string) ([]string, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}

// StopDescendants sends sig to every process below tinit, and to each one
// that is reparented to tinit later (as the tree dies), until tinit has
// no child left or ctx ends, and says how many it signalled (as
// SignalDescendants counts them). Each process gets sig once.
func (r *Reaper) StopDescendants(ctx context.Context, sig syscall.Signal) (int, error) {
	seen := map[procID]bool{}
	n := 0
	err := r.untilChildless(ctx, func() error {
		k, err := r.signalDescendants(sig, seen)
		n += k
		return err
	})
	return n, err
}

// untilChildless calls each (if set) and returns once tinit has no child
// left, or with ctx's error; it calls each again at every reap and at the
// exit of every remaining child.
func (r *Reaper) untilChildless(ctx context.Context, each func() error) error {
	for {
		changed := r.changes()
		if each != nil {
			if err := each(); err != nil {
				return err
			}
		}
		kids, err := Children()
		if err != nil {
			return err
		}
		if len(kids) == 0 {
			return nil
		}
		if err := r.waitAnyExit(ctx, kids, changed); err != nil {
			return err
		}
	}
}

// procID tells processes apart across pid reuse: pid and start time.
type procID struct {
	pid   int
	start string
}

// everyone stands in seen for all the processes that kill(-1) reached.
var everyone = procID{pid: -1}

// signalDescendants sends sig to every process below tinit not in seen
// (which it extends; nil: every one) and returns how many it reached: 0
// means none is left. As PID 1 that is kill(-1, sig), which the kernel
// delivers to every process of the namespace but init, and the count is
// of the processes below tinit just before. kill(-1) itself cannot count:
// on a machine it also reaches the kernel's threads, which ignore it, and
// in a container the processes entered from outside. Only without a
// /proc to count with is the count 1 when kill(-1) reached any.
// Otherwise the tree is walked through /proc, and each process is
// signalled through a pidfd opened while its parent is known to be the
// one that was walked.
//
// A process whose parent dies during the walk is reparented to tinit and
// may be missed: StopDescendants calls it again as they arrive.
func (r *Reaper) signalDescendants(sig syscall.Signal, seen map[procID]bool) (int, error) {
	if os.Getpid() == 1 {
		if seen[everyone] {
			return 0, nil
		}
		if seen != nil {
			seen[everyone] = true
		}
		n := 0
		counted := r.walkDescendants(func(int, int, string) { n++ }) == nil
		switch err := syscall.Kill(-1, sig); err {
		case nil:
			if !counted {
				return 1, nil
			}
			return n, nil
		case syscall.ESRCH:
			return 0, nil // no process but tinit
		default:
			return 0, os.NewSyscallError("kill -1", err)
		}
	}
	n := 0
	err := r.walkDescendants(func(pid, pidfd int, start string) {
		id := procID{pid, start}
		if seen != nil && seen[id] {
			return
		}
		if unix.PidfdSendSignal(pidfd, sig, nil, 0) == nil {
			n++
			if seen != nil {
				seen[id] = true
			}
		}
	})
	return n, err
}

// walkDescendants calls f with the pid, a pidfd and the start time of
// each process below tinit.
func (r *Reaper) walkDescendants(f func(pid, pidfd int, start string)) error {
	// Where tinit's loop reaps (not watched), no child of tinit's can be
	// reaped (and its pid reused) while the wait lock is held; where the
	// kernel reaps, the parent check below still keeps to the processes
	// below tinit.
	r.waitMu.RLock()
	defer r.waitMu.RUnlock()
	if childless() {
		return nil
	}
	if err := procIsOurs(); err != nil {
		return err
	}
	parents := []int{os.Getpid()}
	for len(parents) > 0 {
		parent := parents[0]
		parents = parents[1:]
		kids, err := childrenOf(strconv.Itoa(parent))
		if err != nil && parent == os.Getpid() {
			return err
		}
		for _, pid := range kids {
			pidfd, err := unix.PidfdOpen(pid, 0)
			if err != nil {
				continue // gone already
			}
			if ppid, start := statOf(pid); ppid == parent {
				f(pid, pidfd, start)
				parents = append(parents, pid)
			}
			unix.Close(pidfd)
		}
	}
	return nil
}

// SignalGroupMembers sends sig to each process of process group pgid, for
// the members a group leader left behind when it ended (Process.SignalGroup
// then says ErrProcessDone). Each is signalled through a pidfd, and only
// if it is in the group after the pidfd was opened, so a pid reused by
// another process is never hit. kill(-pgid, 0), which sends nothing,
// first says whether the group has any member: most often it has none,
// and the error is then ErrProcessDone.
func SignalGroupMembers(pgid int, sig syscall.Signal) error {
	if err := syscall.Kill(-pgid, 0); err == syscall.ESRCH {
		return ErrProcessDone
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return fmt.Errorf("signal process group %d: %w", pgid, err)
	}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pgidOf(pid) != pgid {
			continue
		}
		fd, err := unix.PidfdOpen(pid, 0)
		if err != nil {
			continue // gone already
		}
		if pgidOf(pid) == pgid {
			unix.PidfdSendSignal(fd, sig, nil, 0)
		}
		unix.Close(fd)
	}
	return nil
}

// pgidOf reads a process's group from /proc/PID/stat; -1 when it is gone.
func pgidOf(pid int) int {
	fields := statFields(pid)
	if len(fields) < 3 {
		return -1
	}
	pgid, err := strconv.Atoi(fields[2])
	if err != nil {
		return -1
	}
	return pgid
}

// statFields returns the fields of /proc/PID/stat after the command name
// (state, ppid, pgrp, ...); nil when the process is gone.
func statFields(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	// pid (comm) state ppid ...; comm may hold spaces and parentheses.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return nil
	}
	return strings.Fields(string(b[i+1:]))
}

// statOf reads a process's parent and start time from /proc/PID/stat;
// the parent is -1 when the process is gone.
func statOf(pid int) (ppid int, start string) {
	fields := statFields(pid) // starttime is field 22 of the file
	if len(fields) < 20 {
		return -1, ""
	}
	ppid, err := strconv.Atoi(fields[1])
	if err != nil {
		return -1, ""
	}
	return ppid, fields[19]
}

// WaitChildless returns when tinit has no child left, or with ctx's error.
// It wakes on every reap and on the exit of every remaining child, so it
// returns the moment the last one is gone.
func (r *Reaper) WaitChildless(ctx context.Context) error {
	return r.untilChildless(ctx, nil)
}

// waitAnyExit waits until one of pids exits, changed is closed, or ctx
// ends. The pidfds are watched through the netpoller.
func (r *Reaper) waitAnyExit(ctx context.Context, pids []int, changed <-chan struct{}) error {
	exited := make(chan struct{}, 1)
	var files []*os.File
	var wg sync.WaitGroup
	defer func() {
		for _, f := range files {
			f.Close()
		}
		wg.Wait()
	}()
	for _, pid := range pids {
		fd, err := unix.PidfdOpen(pid, 0) // PIDFD_NONBLOCK needs 5.10
		if err != nil {
			return nil // already gone: look again
		}
		if err := unix.SetNonblock(fd, true); err != nil {
			unix.Close(fd)
			return os.NewSyscallError("fcntl", err)
		}
		f := os.NewFile(uintptr(fd), "pidfd")
		files = append(files, f)
		rc, err := f.SyscallConn()
		if err != nil {
			continue
		}
		wg.Go(func() {
			defer r.recoverPanic()
			if rc.Read(func(fd uintptr) bool { return pidfdExited(int(fd)) }) == nil {
				select {
				case exited <- struct{}{}:
				default:
				}
			}
		})
	}
	select {
	case <-exited:
	case <-changed:
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// changes returns a channel that is closed at the next reap or exit. It
// is made when someone asks (only a wait for the last child does), so
// that an exit nobody waits for costs no channel.
func (r *Reaper) changes() <-chan struct{} {
	r.changeMu.Lock()
	defer r.changeMu.Unlock()
	if r.change == nil {
		r.change = make(chan struct{})
	}
	return r.change
}

// changed wakes everyone waiting on changes.
func (r *Reaper) changed() {
	r.changeMu.Lock()
	if r.change != nil {
		close(r.change)
		r.change = nil
	}
	r.changeMu.Unlock()
}
