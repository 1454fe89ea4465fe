package reaper

import (
	"errors"
	"os"
	"sync/atomic"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The kernel offers a signal sent to a process to its main thread first,
// whenever that thread does not block it. ServeSignals keeps the main
// thread waiting for the caught signals in rt_sigtimedwait, which takes a
// signal off the queue without a signal frame, and forwards each there as
// catchHandler would: per signal exactly tini's two system calls. A
// signal that comes while the main thread is not waiting goes to
// catchHandler, as it does without ServeSignals: either way each signal
// is caught once.
var (
	// catchSet has bit s-1 set for each signal the catcher has taken from
	// the Go runtime, SIGCHLD aside; 0 while no catcher runs. It is the
	// kernel's sigset_t too: the set the main thread waits for.
	catchSet uint64
	// catchSetChanged wakes ServeSignals when a catcher starts.
	catchSetChanged = make(chan struct{}, 1)
	// catchWaitInfo is the siginfo of the signal the main thread took
	// last.
	catchWaitInfo [128]byte
	// serving: ServeSignals has been called.
	serving atomic.Bool
)

// catchWaitLoop is in raw_linux_$GOARCH.s: it waits for catchSet in
// rt_sigtimedwait and has catchHandler's code forward and mark each
// signal still in it, for ever; it returns a signal that is no longer the
// catcher's (sig), or the wait's error.
func catchWaitLoop() (sig, errno uintptr)

// waitSignals runs catchWaitLoop as the goroutine's system call, one
// that blocks for good (block_linux.go): nosplit, as syscall.Syscall
// runs its own, so that the stack it recorded stays where it is.
//
//go:nosplit
func waitSignals() (sig, errno uintptr) {
	entersyscallblock()
	sig, errno = catchWaitLoop()
	exitsyscall()
	return sig, errno
}

// ServeSignals makes the calling goroutine, which must be the main
// goroutine locked to the main thread (runtime.LockOSThread in an init
// function), wait for the signals of every Reaper that runs from now on
// (Options.Signals) and forward them there (Relay), and for the held ones
// (HoldSignals) while no Reaper runs. It returns only an error: the
// caller must run everything else on other goroutines, and end the
// process with os.Exit. While no Reaper runs and none is held it waits
// for one. A signal it took for a Reaper that has closed meanwhile goes
// back to the Go runtime (rt_sigqueueinfo, with its siginfo), so
// os/signal still gets it.
func ServeSignals() error {
	if unix.Gettid() != os.Getpid() {
		return errors.New("serve signals: not on the main thread (lock the main goroutine to it in an init function)")
	}
	if !serving.CompareAndSwap(false, true) {
		return errors.New("serve signals: already served")
	}
	for {
		if atomic.LoadUint64(&catchSet) == 0 {
			<-catchSetChanged
			continue
		}
		sig, errno := waitSignals()
		if errno != 0 {
			return os.NewSyscallError("rt_sigtimedwait", syscall.Errno(errno))
		}
		// The catcher that sig was for has ended: give it back to the
		// Go runtime, whose handler the main thread now runs. Only a
		// real-time signal can be refused here, when the user's queued
		// signals are at RLIMIT_SIGPENDING; it is lost then.
		unix.RawSyscall(unix.SYS_RT_SIGQUEUEINFO, uintptr(os.Getpid()), sig, uintptr(unsafe.Pointer(&catchWaitInfo)))
	}
}

// publishCatchSet tells ServeSignals which signals the catcher has taken.
func publishCatchSet(set uint64) {
	atomic.StoreUint64(&catchSet, set)
	if set != 0 {
		select {
		case catchSetChanged <- struct{}{}:
		default:
		}
	}
}
