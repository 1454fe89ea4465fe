package reaper

// This file holds the only fork-exec of the project: one raw clone3 (or
// clone, where a seccomp filter refuses clone3) with vfork semantics.
//
// The parent prepares everything the child needs in one heap object, a
// plan: C strings, the fd map, credentials, signal masks. Between clone and
// execve the child shares the parent's memory and runs on its stack, with
// the runtime's stack guard set to fail loudly, so the child code below
// obeys these rules:
//
//   - only //go:nosplit //go:norace functions and raw system calls;
//   - no allocation, no index expressions (bounds checks could call into
//     the runtime): pointer arithmetic with unsafe.Add instead;
//   - no pointer stores: it writes only integers into the plan (its
//     failure stage and errno), which the parent reads once the vfork is
//     over;
//   - it never returns from childMain: it execs or exits.

import (
	"os"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The runtime keeps these hooks linkable for code like this (go.dev/issue/67401):
// BeforeFork blocks signals and arms the stack guard, AfterFork undoes that
// in the parent. The child does without AfterForkInChild, which would
// unblock signals before the child has set their dispositions (childMain).

//go:linkname runtimeBeforeFork syscall.runtime_BeforeFork
func runtimeBeforeFork()

//go:linkname runtimeAfterFork syscall.runtime_AfterFork
func runtimeAfterFork()

// rawVfork and rawSyscall6 are in raw_linux_$GOARCH.s.
func rawVfork(trap, a1, a2, a3 uintptr) (r1, errno uintptr)
func rawSyscall6(trap, a1, a2, a3, a4, a5, a6 uintptr) (r1, errno uintptr)

// cloneArgs is struct clone_args of linux/sched.h (CLONE_ARGS_SIZE_VER2).
type cloneArgs struct {
	flags      uint64
	pidfd      uint64
	childTID   uint64
	parentTID  uint64
	exitSignal uint64
	stack      uint64
	stackSize  uint64
	tls        uint64
	setTID     uint64
	setTIDSize uint64
	cgroup     uint64
}

// sigaction is the kernel's struct sigaction for rt_sigaction.
type sigaction struct {
	handler  uintptr
	flags    uint64
	restorer uintptr
	mask     uint64
}

const (
	sigDFL = 0
	sigIGN = 1
)

// plan is everything a child needs between clone and execve, prepared by
// the parent. Its fields without pointers are the only memory the child
// writes.
type plan struct {
	args  cloneArgs
	pidfd int32 // written by the kernel (CLONE_PIDFD)

	useClone3  bool
	cloneFlags uintptr // for clone(2)

	path *byte
	// pidEnv, when set, points just past the "=" of an environment entry
	// with room for the child's pid in decimal.
	pidEnv unsafe.Pointer
	argv   **byte
	envp   **byte
	dir    *byte

	// fds[i] is the parent fd that becomes child fd i, or -1 to close it.
	fds  *int32
	nfds int
	// cloexec lists fds to mark close-on-exec where close_range cannot.
	cloexec  *int32
	ncloexec int
	useRange bool

	setsid, setpgid, setctty, foreground bool
	pgid, ctty                           int

	setCred, setGroups bool
	uid, gid           uintptr
	groups             *uint32
	ngroups            int

	umask    int // -1 keeps tinit's
	rlimits  *Rlimit
	nrlimits int

	chdir      bool
	nnpPrctl   bool
	pdeathsig  bool
	parentPID  uintptr
	cgroupFD   int // joined by writing cgroup.procs, -1 when not
	procsName  *byte
	procsValue *byte

	sigIgnore, sigDefault uint64 // bit s-1 for signal s
	actIgnore, actDefault sigaction
	mask                  uint64 // the child's signal mask, set last

	// probeOnly makes the child exit at once: a feature probe.
	probeOnly bool

	// Written by the child when a stage fails; read by the parent after.
	failStage Stage
	failErrno uintptr

	keep []any // what the pointers above point into, kept alive
}

// forkExec clones the child described by pl. In the parent it returns the
// child's pid once the child has exec'd or exited; the child never returns.
//
//go:nosplit
//go:norace
func forkExec(pl *plan) (pid uintptr, errno uintptr) {
	runtimeBeforeFork()
	if pl.useClone3 {
		pid, errno = rawVfork(unix.SYS_CLONE3, uintptr(unsafe.Pointer(&pl.args)), unsafe.Sizeof(pl.args), 0)
	} else {
		pid, errno = rawVfork(unix.SYS_CLONE, pl.cloneFlags, 0, uintptr(unsafe.Pointer(&pl.pidfd)))
	}
	if errno != 0 || pid != 0 {
		runtimeAfterFork()
		return pid, errno
	}
	childMain(pl)
	return 0, 0
}

// childMain runs in the child: each stage in turn, then execve.
//
//go:nosplit
//go:norace
func childMain(pl *plan) {
	if pl.probeOnly {
		rawSyscall6(unix.SYS_EXIT_GROUP, 0, 0, 0, 0, 0, 0)
	}
	if pl.cgroupFD >= 0 {
		childCheck(pl, StageCgroup, childJoinCgroup(pl))
	}
	if pl.setsid {
		_, e := rawSyscall6(unix.SYS_SETSID, 0, 0, 0, 0, 0, 0)
		childCheck(pl, StageSetsid, e)
	}
	if pl.setpgid {
		_, e := rawSyscall6(unix.SYS_SETPGID, 0, uintptr(pl.pgid), 0, 0, 0, 0)
		childCheck(pl, StageSetpgid, e)
	}
	childCheck(pl, StageFiles, childFiles(pl))
	if pl.setctty {
		_, e := rawSyscall6(unix.SYS_IOCTL, uintptr(pl.ctty), unix.TIOCSCTTY, 0, 0, 0, 0)
		childCheck(pl, StageSetctty, e)
	}
	if pl.foreground {
		childCheck(pl, StageForeground, childForeground(pl))
	}
	childCheck(pl, StageRlimit, childRlimits(pl))
	if pl.umask >= 0 {
		rawSyscall6(unix.SYS_UMASK, uintptr(pl.umask), 0, 0, 0, 0, 0)
	}
	if pl.setCred {
		childCredentials(pl)
	}
	if pl.chdir {
		_, e := rawSyscall6(unix.SYS_CHDIR, uintptr(unsafe.Pointer(pl.dir)), 0, 0, 0, 0, 0)
		childCheck(pl, StageChdir, e)
	}
	if pl.pdeathsig {
		childCheck(pl, StageParentDeath, childParentDeath(pl))
	}
	if pl.nnpPrctl {
		_, e := rawSyscall6(unix.SYS_PRCTL, unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0)
		childCheck(pl, StageNoNewPrivs, e)
	}
	// Every signal is blocked since the clone (runtime_BeforeFork). The
	// dispositions come first, then the mask: a signal that is pending or
	// arrives meanwhile meets the child's own disposition (ignored as
	// asked, or the default), never tinit's handler and never a default
	// where the child asked to ignore it.
	childCheck(pl, StageSignals, childSignals(pl))
	rawSyscall6(unix.SYS_RT_SIGPROCMASK, unix.SIG_SETMASK, uintptr(unsafe.Pointer(&pl.mask)), 0, 8, 0, 0)
	if pl.pidEnv != nil {
		childPidEnv(pl)
	}
	_, e := rawSyscall6(unix.SYS_EXECVE, uintptr(unsafe.Pointer(pl.path)),
		uintptr(unsafe.Pointer(pl.argv)), uintptr(unsafe.Pointer(pl.envp)), 0, 0, 0)
	childCheck(pl, StageExec, e)
}

// childCheck ends the child when a stage failed, leaving the stage and
// errno in the plan for the parent.
//
//go:nosplit
//go:norace
func childCheck(pl *plan, stage Stage, errno uintptr) {
	if errno == 0 {
		return
	}
	pl.failStage = stage
	pl.failErrno = errno
	for {
		rawSyscall6(unix.SYS_EXIT_GROUP, 127, 0, 0, 0, 0, 0)
	}
}

// childJoinCgroup moves the child into the cgroup directory pl.cgroupFD by
// writing "0" to its cgroup.procs: the fallback for CLONE_INTO_CGROUP.
//
//go:nosplit
//go:norace
func childJoinCgroup(pl *plan) uintptr {
	fd, e := rawSyscall6(unix.SYS_OPENAT, uintptr(pl.cgroupFD), uintptr(unsafe.Pointer(pl.procsName)),
		unix.O_WRONLY|unix.O_CLOEXEC, 0, 0, 0)
	if e != 0 {
		return e
	}
	_, e = rawSyscall6(unix.SYS_WRITE, fd, uintptr(unsafe.Pointer(pl.procsValue)), 1, 0, 0, 0)
	rawSyscall6(unix.SYS_CLOSE, fd, 0, 0, 0, 0, 0)
	return e
}

// childFiles installs the fd map and marks every other fd close-on-exec.
// Sources that lie inside the target range are first moved above it with
// F_DUPFD_CLOEXEC, which never overwrites an fd, so no dup3 below can
// clobber a source that a later target still needs, and no slot closed
// below can hold one.
//
//go:nosplit
//go:norace
func childFiles(pl *plan) uintptr {
	n := uintptr(pl.nfds)
	for i := 0; i < pl.nfds; i++ {
		src := (*int32)(unsafe.Add(unsafe.Pointer(pl.fds), i*4))
		if *src >= 0 && uintptr(*src) < n && int(*src) != i {
			fd, e := rawSyscall6(unix.SYS_FCNTL, uintptr(*src), unix.F_DUPFD_CLOEXEC, n, 0, 0, 0)
			if e != 0 {
				return e
			}
			*src = int32(fd)
		}
	}
	for i := 0; i < pl.nfds; i++ {
		src := *(*int32)(unsafe.Add(unsafe.Pointer(pl.fds), i*4))
		var e uintptr
		switch {
		case src < 0 && pl.useRange:
			// The whole run of slots to close at once: a child of an init
			// handed fd 3 and fd 250 would otherwise make 246 calls.
			last := i
			for last+1 < pl.nfds && *(*int32)(unsafe.Add(unsafe.Pointer(pl.fds), (last+1)*4)) < 0 {
				last++
			}
			rawSyscall6(unix.SYS_CLOSE_RANGE, uintptr(i), uintptr(last), 0, 0, 0, 0)
			i = last
		case src < 0:
			rawSyscall6(unix.SYS_CLOSE, uintptr(i), 0, 0, 0, 0, 0)
		case int(src) == i:
			_, e = rawSyscall6(unix.SYS_FCNTL, uintptr(i), unix.F_SETFD, 0, 0, 0, 0)
		default:
			_, e = rawSyscall6(unix.SYS_DUP3, uintptr(src), uintptr(i), 0, 0, 0, 0)
		}
		if e != 0 {
			return e
		}
	}
	if pl.useRange {
		_, e := rawSyscall6(unix.SYS_CLOSE_RANGE, n, ^uintptr(0)>>32, unix.CLOSE_RANGE_CLOEXEC, 0, 0, 0)
		return e
	}
	for i := 0; i < pl.ncloexec; i++ {
		fd := *(*int32)(unsafe.Add(unsafe.Pointer(pl.cloexec), i*4))
		if uintptr(fd) >= n {
			rawSyscall6(unix.SYS_FCNTL, uintptr(fd), unix.F_SETFD, unix.FD_CLOEXEC, 0, 0, 0)
		}
	}
	return 0
}

// childForeground makes the child's process group the terminal's
// foreground group. Signals are still blocked here, so the SIGTTOU that a
// background group gets for this does not stop the child.
//
//go:nosplit
//go:norace
func childForeground(pl *plan) uintptr {
	pgrp, _ := rawSyscall6(unix.SYS_GETPGID, 0, 0, 0, 0, 0, 0)
	p := int32(pgrp)
	_, e := rawSyscall6(unix.SYS_IOCTL, uintptr(pl.ctty), unix.TIOCSPGRP, uintptr(unsafe.Pointer(&p)), 0, 0, 0)
	return e
}

//go:nosplit
//go:norace
func childRlimits(pl *plan) uintptr {
	for i := 0; i < pl.nrlimits; i++ {
		rl := (*Rlimit)(unsafe.Add(unsafe.Pointer(pl.rlimits), uintptr(i)*unsafe.Sizeof(Rlimit{})))
		_, e := rawSyscall6(unix.SYS_PRLIMIT64, 0, uintptr(rl.Resource), uintptr(unsafe.Pointer(&rl.Cur)), 0, 0, 0)
		if e != 0 {
			return e
		}
	}
	return 0
}

// childCredentials drops to the asked identity: supplementary groups
// first, then the gid, then the uid (after which the others are no longer
// allowed).
//
//go:nosplit
//go:norace
func childCredentials(pl *plan) {
	if pl.setGroups {
		_, e := rawSyscall6(unix.SYS_SETGROUPS, uintptr(pl.ngroups), uintptr(unsafe.Pointer(pl.groups)), 0, 0, 0, 0)
		childCheck(pl, StageSetgroups, e)
	}
	_, e := rawSyscall6(unix.SYS_SETRESGID, pl.gid, pl.gid, pl.gid, 0, 0, 0)
	childCheck(pl, StageSetgid, e)
	_, e = rawSyscall6(unix.SYS_SETRESUID, pl.uid, pl.uid, pl.uid, 0, 0, 0)
	childCheck(pl, StageSetuid, e)
}

// childParentDeath asks for SIGKILL when tinit dies, after the credential
// change (which clears it), then checks that tinit did not die before.
//
//go:nosplit
//go:norace
func childParentDeath(pl *plan) uintptr {
	_, e := rawSyscall6(unix.SYS_PRCTL, unix.PR_SET_PDEATHSIG, uintptr(syscall.SIGKILL), 0, 0, 0, 0)
	if e != 0 {
		return e
	}
	if ppid, _ := rawSyscall6(unix.SYS_GETPPID, 0, 0, 0, 0, 0, 0); ppid != pl.parentPID {
		for {
			rawSyscall6(unix.SYS_EXIT_GROUP, 137, 0, 0, 0, 0, 0)
		}
	}
	return 0
}

// childSignals sets the dispositions that would otherwise leak from tinit:
// the signals to ignore, and tinit's own ignored signals back to default;
// without CLONE_CLEAR_SIGHAND, which resets the handled ones at clone,
// every signal (resetInChild).
//
//go:nosplit
//go:norace
func childSignals(pl *plan) uintptr {
	for s := uintptr(1); s <= 64; s++ {
		bit := uint64(1) << (s - 1)
		act := &pl.actDefault
		switch {
		case pl.sigIgnore&bit != 0:
			act = &pl.actIgnore
		case pl.sigDefault&bit == 0:
			continue
		}
		_, e := rawSyscall6(unix.SYS_RT_SIGACTION, s, uintptr(unsafe.Pointer(act)), 0, 8, 0, 0)
		if e != 0 {
			return e
		}
	}
	return 0
}

// childPidEnv writes the child's pid, in decimal and NUL-terminated, into
// the environment entry that the parent left room in.
//
//go:nosplit
//go:norace
func childPidEnv(pl *plan) {
	pid, _ := rawSyscall6(unix.SYS_GETPID, 0, 0, 0, 0, 0, 0)
	n := 0
	for t := pid; ; t /= 10 {
		n++
		if t < 10 {
			break
		}
	}
	*(*byte)(unsafe.Add(pl.pidEnv, n)) = 0
	for i := n - 1; i >= 0; i-- {
		*(*byte)(unsafe.Add(pl.pidEnv, i)) = '0' + byte(pid%10)
		pid /= 10
	}
}

// spawn runs pl: the parent side of forkExec.
func spawn(pl *plan) (pid int, err error) {
	r1, errno := forkExec(pl)
	runtime.KeepAlive(pl)
	if errno != 0 {
		name := "clone3"
		if !pl.useClone3 {
			name = "clone"
		}
		return 0, os.NewSyscallError(name, syscall.Errno(errno))
	}
	return int(r1), nil
}
