package reaper

import (
	"fmt"
	"math/bits"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The reaper catches SIGCHLD, and the signals tinit forwards, with a
// handler of its own rather than through os/signal. On os/signal's path
// every signal costs several thread wake-ups before a goroutine sees it
// (the runtime's handler wakes the signal_recv thread, which readies
// os/signal's dispatcher, which readies the receiver: 7 context switches
// per signal here, against 1 for tini; bench/RESULTS.md). catchHandler
// (raw_linux_*.s) runs no Go code: it forwards the signal through the
// relay's pidfd at once, when one is armed, marks the signal caught and
// writes to an eventfd, which wakes the reaper's loop straight from the
// netpoller (for a forwarded signal only without Options.DeferForwarded).
//
// The handler reads and writes these variables, and nothing else.
var (
	// catchBusy counts the handlers between their start and the marking
	// of their signal, catchWaking those writing to the eventfd. A
	// handler counts itself in before it reads catchPidfd (catchWake), so
	// whoever retires one of those fds stores -1 in it first, then waits
	// for the count to be zero before closing it (retire). ServeSignals's
	// loop counts itself in catchBusy too, before it reads catchSet, and
	// the handler's code it then runs counts it out once the signal is
	// marked.
	catchBusy   int32
	catchWaking int32
	catchPidfd  int32 = -1 // the relay's pidfd; -1: forward nothing
	catchWake   int32 = -1 // the eventfd the handler writes to
	// catchTo is, per signal, the signal to forward as (0: do not), and
	// catchFlags the pidfd_send_signal flags. They change only while
	// catchPidfd is -1 and no handler runs.
	//lint:ignore U1000 read by catchHandler
	catchTo [maxSignal + 1]int32
	//lint:ignore U1000 read by catchHandler
	catchFlags [maxSignal + 1]uint32
	// catchPending and catchForwarded have bit s-1 set for each signal s
	// caught since the loop last took them: not forwarded, and forwarded.
	catchPending   uint64
	catchForwarded uint64
	//lint:ignore U1000 read by catchHandler
	catchOne uint64 = 1 // what the handler adds to the eventfd
	// catchWakeForwarded is 0 when a forwarded signal does not wake the
	// loop (Options.DeferForwarded). Set before the handler is installed.
	catchWakeForwarded int32 = 1
	// catchSelf is tinit's pid: a SIGPIPE that comes from it is the
	// kernel's answer to a write of tinit's own to a broken pipe, which
	// the handler leaves alone. Set before the handler is installed.
	//lint:ignore U1000 read by catchHandler
	catchSelf int32
)

const maxSignal = 64

// Implemented in raw_linux_*.s; the kernel calls the first two, whose
// addresses catchAddrs gives.

//lint:ignore U1000 called by the kernel
func catchHandler()

//lint:ignore U1000 called by the kernel
func catchRestorer()

// catchCounted is catchHandler's work once it has counted itself in
// catchBusy; catchWaitLoop calls it too.
//
//lint:ignore U1000 called by catchHandler and catchWaitLoop
func catchCounted()

func catchAddrs() (handler, restorer uintptr)

// catcher owns the handler while a Reaper runs: the signals it took from
// the Go runtime (with their old actions, given back at close), the
// eventfd and the relay's pidfd.
type catcher struct {
	wake *os.File
	sigs []syscall.Signal
	old  []sigaction
	act  sigaction // catchHandler's
	// childDiscarded: SIGCHLD is at its default action (catchChild).
	childDiscarded bool

	relayMu sync.Mutex
	relayFD int // the relay's own dup of its process's pidfd; -1 for none

	reportMu sync.Mutex // one OnSignal call at a time, in the order taken
}

// The sa_flags of catchHandler, as the Go runtime sets them for its own
// (the same values on amd64 and arm64): on the signal stack that the
// runtime gives every thread, system calls restarted, with the siginfo
// (who sent the signal), returning through catchRestorer.
const (
	saSiginfo    = 0x4
	saOnstack    = 0x08000000
	saRestart    = 0x10000000
	saRestorer   = 0x04000000
	saNocldwait  = 0x2
	catchFlagsSA = saSiginfo | saOnstack | saRestart | saRestorer
)

// catchable says why tinit cannot take sig from the Go runtime, or "".
func catchable(sig syscall.Signal) string {
	switch sig {
	case syscall.SIGCHLD:
		return "is the reaper's own"
	case syscall.SIGKILL, syscall.SIGSTOP:
		return "cannot be caught"
	case syscall.SIGURG:
		return "is the Go runtime's preemption signal"
	case syscall.SIGSEGV, syscall.SIGBUS, syscall.SIGFPE, syscall.SIGILL, syscall.SIGTRAP, syscall.SIGSYS:
		return "is synchronous: a fault in tinit, for the Go runtime"
	case 32, 33:
		return "is reserved by the C library"
	}
	if sig < 1 || sig > maxSignal {
		return "is no signal"
	}
	return ""
}

// startCatching installs catchHandler for SIGCHLD and sigs; with
// deferForwarded, a forwarded signal does not wake the loop. Only one
// catcher may exist at a time (New ensures it).
func startCatching(sigs []syscall.Signal, deferForwarded bool) (*catcher, error) {
	c := &catcher{relayFD: -1}
	c.sigs = append([]syscall.Signal{syscall.SIGCHLD}, sigs...)
	given, err := catchSetOf("start reaper", sigs)
	if err != nil {
		return nil, err
	}
	if missing := held.Load() &^ given; missing != 0 {
		return nil, fmt.Errorf("start reaper: signal %d is held (HoldSignals) but not in Options.Signals", bits.TrailingZeros64(missing)+1)
	}
	fd, err := unix.Eventfd(0, unix.EFD_CLOEXEC|unix.EFD_NONBLOCK)
	if err != nil {
		return nil, os.NewSyscallError("eventfd", err)
	}
	c.wake = os.NewFile(uintptr(fd), "reaper signal eventfd") // non-blocking: the netpoller watches it
	// The held signals that came while no reaper ran stay marked: the
	// loop reports them first.
	atomic.AndUint64(&catchPending, held.Load())
	atomic.StoreUint64(&catchForwarded, 0)
	atomic.StoreInt32(&catchWake, int32(fd))
	wakeForwarded := int32(1)
	if deferForwarded {
		wakeForwarded = 0
	}
	atomic.StoreInt32(&catchWakeForwarded, wakeForwarded)
	atomic.StoreInt32(&catchSelf, int32(os.Getpid()))
	handler, restorer := catchAddrs()
	c.act = sigaction{handler: handler, flags: catchFlagsSA, restorer: restorer, mask: ^uint64(0)}
	c.old = make([]sigaction, len(c.sigs))
	for i, s := range c.sigs {
		if err := rtSigaction(s, &c.act, &c.old[i]); err != nil {
			c.sigs = c.sigs[:i]
			c.close()
			return nil, fmt.Errorf("start reaper: %w", err)
		}
	}
	publishCatchSet(given)
	return c, nil
}

// catchSetOf is sigs as a set (bit s-1 for signal s), or an error that
// names the first signal the handler cannot take, or one given twice.
func catchSetOf(what string, sigs []syscall.Signal) (uint64, error) {
	var set uint64
	for _, s := range sigs {
		if why := catchable(s); why != "" {
			return 0, fmt.Errorf("%s: catch signal %d: it %s", what, int(s), why)
		}
		if set&bit(s) != 0 {
			return 0, fmt.Errorf("%s: catch signal %d: given twice", what, int(s))
		}
		set |= bit(s)
	}
	return set, nil
}

// catchChild has the handler catch SIGCHLD, or, with catch false, the
// kernel discard it: SIGCHLD's default action is to ignore it, at its
// sending, waking no thread; unlike SIG_IGN it leaves children zombies
// to be reaped. For Reaper.waitLoop, which the exits themselves wake,
// and which calls it one call at a time; a call that changes nothing
// makes no system call.
func (c *catcher) catchChild(catch bool) {
	if catch == !c.childDiscarded {
		return
	}
	act := sigaction{handler: sigDFL}
	if catch {
		act = c.act
	}
	rtSigaction(syscall.SIGCHLD, &act, nil) // valid arguments: it cannot fail
	c.childDiscarded = !catch
}

// leaveChildrenToKernel sets SIGCHLD to its default action with
// SA_NOCLDWAIT: the kernel then reaps every child of tinit's the moment it
// exits, and discards SIGCHLD, waking no thread (Reaper.kernelReaps).
// Close gives SIGCHLD back to the Go runtime, without the flag.
func (c *catcher) leaveChildrenToKernel() {
	act := sigaction{handler: sigDFL, flags: saNocldwait}
	rtSigaction(syscall.SIGCHLD, &act, nil) // valid arguments: it cannot fail
	c.childDiscarded = true
}

// takeChild reports whether SIGCHLD was caught since it was last taken.
func (c *catcher) takeChild() bool {
	child := bit(syscall.SIGCHLD)
	return atomic.AndUint64(&catchPending, ^child)&child != 0
}

// takeOthers returns the other signals caught since they were last
// taken: those the handler did not forward, and those it did. With
// settle, it first waits for the handlers that have not marked their
// signal yet (one may have forwarded it already). The loop need not: a
// handler wakes it after marking.
func (c *catcher) takeOthers(settle bool) (pending, forwarded uint64) {
	if settle {
		waitZero(&catchBusy)
	}
	child := bit(syscall.SIGCHLD)
	return atomic.AndUint64(&catchPending, child) &^ child, atomic.AndUint64(&catchForwarded, child) &^ child
}

// wait blocks until the handler has caught a signal; it fails once close
// has closed the eventfd.
//
// The read itself is a raw system call: the eventfd is non-blocking, and
// the Go runtime's syscall hooks (those of os.File.Read) wake sysmon from
// its idle sleep on the way in, two context switches per signal that buy
// nothing here.
func (c *catcher) wait() error {
	rc, err := c.wake.SyscallConn()
	if err != nil {
		return err
	}
	var buf [8]byte
	var rerr error
	err = rc.Read(func(fd uintptr) bool {
		rerr = ignoringEINTR(func() error {
			_, _, errno := syscall.RawSyscall(syscall.SYS_READ, fd, uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
			if errno != 0 {
				return errno
			}
			return nil
		})
		return rerr != syscall.EAGAIN // EAGAIN: wait in the netpoller
	})
	if err != nil {
		return err
	}
	return rerr
}

// relay arms the handler to forward to pidfd (which the catcher now owns)
// as to and flags say, per signal; -1 disarms it. The handler is never
// seen half-armed: the fd is retired first and stored last.
func (c *catcher) relay(pidfd int, to [maxSignal + 1]int32, flags [maxSignal + 1]uint32) {
	c.relayMu.Lock()
	defer c.relayMu.Unlock()
	if c.relayFD >= 0 {
		retire(&catchPidfd, &catchBusy)
		unix.Close(c.relayFD)
	}
	c.relayFD = pidfd
	if pidfd < 0 {
		return
	}
	catchTo, catchFlags = to, flags
	atomic.StoreInt32(&catchPidfd, int32(pidfd))
}

// Relay has the reaper's signal handler forward each of Options.Signals
// to p the moment it arrives, before any goroutine runs: as the signal
// that route gives (0: not forwarded, left to OnSignal), to p's process
// group when group is true. That needs PIDFD_SIGNAL_PROCESS_GROUP (6.9);
// before it, group signals are left to OnSignal. The relay holds a pidfd
// of its own, so it can never reach another process; after p has ended,
// each signal is left to OnSignal. A later Relay replaces this one. The
// relay's pidfd keeps an Autokill process alive until then.
func (r *Reaper) Relay(p *Process, route func(syscall.Signal) (as syscall.Signal, group bool)) error {
	var to [maxSignal + 1]int32
	var flags [maxSignal + 1]uint32
	for _, s := range r.catch.sigs {
		if s == syscall.SIGCHLD {
			continue
		}
		as, group := route(s)
		if group {
			if !r.feat.Has(PidfdGroupSignal) {
				continue
			}
			flags[s] = unix.PIDFD_SIGNAL_PROCESS_GROUP
		}
		to[s] = int32(as)
	}
	fd, err := p.dupPidfd()
	if err != nil {
		return fmt.Errorf("relay signals to %d: %w", p.pid, err)
	}
	r.catch.relay(fd, to, flags)
	return nil
}

// close gives the signals back to the Go runtime, the held ones
// (HoldSignals) back to holding, then closes the fds once no handler can
// use them; a wait in progress fails.
func (c *catcher) close() {
	publishCatchSet(held.Load())
	for i, s := range c.sigs {
		rtSigaction(s, &c.old[i], nil)
	}
	// ServeSignals's loop counts itself in catchBusy before it reads
	// catchSet: past this wait, it hands a signal it takes back to the
	// runtime rather than to catchHandler.
	waitZero(&catchBusy)
	c.relay(-1, [maxSignal + 1]int32{}, [maxSignal + 1]uint32{})
	retire(&catchWake, &catchWaking)
	c.wake.Close()
}

// retire stores -1 in an fd variable of the handler's and returns once no
// handler can still be using the old fd: one that ran before the store
// has counted itself in (users, the count that covers the fd; waited for
// here), one that runs after reads -1. The waits on the counts are for
// handlers already running, a few system calls long, so they yield
// rather than sleep.
func retire(fd, users *int32) {
	atomic.StoreInt32(fd, -1)
	waitZero(users)
}

// waitZero yields until the count is zero.
func waitZero(count *int32) {
	for atomic.LoadInt32(count) != 0 {
		runtime.Gosched()
	}
}

func bit(s syscall.Signal) uint64 { return 1 << (s - 1) }

func rtSigaction(s syscall.Signal, act, old *sigaction) error {
	_, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(s), uintptr(unsafe.Pointer(act)), uintptr(unsafe.Pointer(old)), 8, 0, 0)
	if e != 0 {
		return fmt.Errorf("catch signal %d: %w", int(s), os.NewSyscallError("rt_sigaction", e))
	}
	return nil
}
