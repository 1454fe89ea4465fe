package reaper

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Options configure a Reaper.
type Options struct {
	// Disable turns features off although the kernel has them: to test a
	// fallback, or to work around a kernel bug.
	Disable Feature
	// OnOrphan, when set, is called from the reaper's goroutines, one
	// call at a time, for each reaped process that tinit did not start (a
	// reparented orphan). It holds no lock the reaper needs: it may start
	// processes, but it delays the next reap. Set, it has the reaper reap
	// the orphans itself; unset, the kernel does where it can
	// (KernelReaps).
	OnOrphan func(pid int, e Exit)
	// OnPanic, when set, receives a panic of the reaper's goroutines
	// (which then carry on or stop cleanly) instead of crashing tinit.
	OnPanic func(v any)
	// Signals are caught by the reaper's own signal handler, as SIGCHLD
	// is, instead of the Go runtime's: not SIGCHLD itself, SIGURG, the
	// synchronous signals or those that cannot be caught. Relay has the
	// handler forward them at once. os/signal no longer sees them while
	// the reaper runs. A signal that tinit inherited blocked reaches the
	// handler only if some thread unblocks it: the Go runtime does so for
	// SIGCHLD, SIGHUP, SIGINT, SIGTERM and the like in every thread, and
	// for any signal once it was given to signal.Notify. ServeSignals's
	// main thread takes them all, blocked or not. Signals must include
	// those held (HoldSignals), which cmd/tinit holds from its start.
	Signals []syscall.Signal
	// OnSignal is called for each of Signals caught; forwarded says the
	// handler has passed it on already (Relay). A signal that arrives
	// again before the call coalesces with it, as in os/signal. Every
	// signal caught before a Process's end is seen is reported before
	// its Done is closed: a signal that ended a child is heard of first.
	// Calls come one at a time, from the reaper's goroutines, with locks
	// held: OnSignal must not block or call the Reaper.
	OnSignal func(sig syscall.Signal, forwarded bool)
	// DeferForwarded: a signal the handler forwarded (Relay) does not
	// wake the reaper's loop. OnSignal hears of it with the loop's next
	// wake-up (a SIGCHLD, a signal not forwarded, Close), and still
	// before the end of a Process is reported. The handler then returns
	// as soon as it has forwarded, as tini goes back to sigtimedwait,
	// and leaves the CPU to the process it woke: no goroutine wakes to
	// compete for it. For when nothing needs to hear of a forwarded
	// signal at once.
	DeferForwarded bool
}

// Reaper starts children and reaps every process that ends up as tinit's
// child. Only one may run in a process at a time.
type Reaper struct {
	opts Options
	feat Features
	tier Tier
	// kernelReaps: the kernel reaps every child of tinit's the moment it
	// exits (SIGCHLD's SA_NOCLDWAIT), so that no orphan is ever a zombie
	// and tinit does no work for one. The Processes then read their exits
	// from their pidfds (PIDFD_INFO_EXIT, 6.15+), as on the autoreap tier.
	// Only without OnOrphan, which needs each orphan's pid and status.
	kernelReaps bool

	// waitMu orders spawns against waits on the pidfd tier: Start holds
	// it shared across clone and registration, the loop exclusively
	// across each wait4 and the routing of its result. So a status is
	// never reaped before its Process is registered, and a pid is never
	// reused between its reaping and its routing.
	waitMu sync.RWMutex
	// kick wakes waitLoop from its wait for a child (Start).
	kick chan struct{}
	// exitIdle says exitLoop waits for a Process to wait for; Start takes
	// the turn (false) and sends it on exitNext (nil if it made none).
	exitIdle atomic.Bool
	exitNext chan *Process
	// waitLoopMu is held by waitLoop while it reaps or changes SIGCHLD's
	// disposition. Close takes it to set waitOff, so that once Close
	// returns every reap begun before is reported, SIGCHLD is tinit's to
	// give back to the Go runtime, and waitLoop does nothing more.
	waitLoopMu sync.Mutex
	waitOff    bool
	// orphanMu makes OnOrphan's calls one at a time.
	orphanMu sync.Mutex
	// procs are the pidfd-tier children that have not been reaped yet.
	procsMu sync.Mutex
	procs   map[int]*Process

	cloexecFDs []int32 // inherited fds without FD_CLOEXEC, for kernels without close_range

	// change is closed and replaced at every reap and exit (WaitChildless).
	changeMu sync.Mutex
	change   chan struct{}

	catch *catcher
	// childMask is the signal mask of tinit's threads, which children
	// get (as the runtime's AfterForkInChild would restore it).
	childMask uint64
	stop      chan struct{}
	stopped   chan struct{}
	orphans   atomic.Uint64
}

var running atomic.Bool

// New probes the kernel (once per process) and starts the reaper loop.
func New(opts Options) (*Reaper, error) {
	if !running.CompareAndSwap(false, true) {
		return nil, errors.New("start reaper: another reaper runs in this process")
	}
	r := &Reaper{
		opts:     opts,
		feat:     Probe(),
		procs:    make(map[int]*Process),
		stop:     make(chan struct{}),
		stopped:  make(chan struct{}),
		kick:     make(chan struct{}, 1),
		exitNext: make(chan *Process, 1),
	}
	err := r.feat.usable()
	if err != nil {
		running.Store(false)
		return nil, err
	}
	r.feat.disable(opts.Disable)
	r.tier = r.feat.Tier()
	r.kernelReaps = opts.OnOrphan == nil && r.feat.Has(PidfdExitInfo) && r.feat.Has(PidfdGroupSignal)
	r.childMask = threadMask()
	if !r.feat.Has(CloseRange) {
		r.cloexecFDs = inheritedLeakyFDs()
	}
	if r.catch, err = startCatching(opts.Signals, opts.DeferForwarded); err != nil {
		running.Store(false)
		return nil, err
	}
	if r.kernelReaps {
		r.catch.leaveChildrenToKernel()
	}
	go r.loop()
	switch {
	case r.tier == TierPidfd && r.kernelReaps:
		go r.exitLoop()
	case r.tier == TierPidfd:
		go r.waitLoop()
	}
	return r, nil
}

// watched says whether the Processes read their exits from their pidfds
// (watch, exitLoop): when the kernel reaps them. Otherwise waitLoop reaps
// them and routes each status to its Process.
func (r *Reaper) watched() bool { return r.tier == TierAutoreap || r.kernelReaps }

// exitLoop waits, on the pidfd tier when the kernel reaps (kernelReaps),
// for one Process at a time, in waitid(P_PID): the kernel wakes it on
// the exiting child's CPU, as it wakes os/exec's Wait and the wait loop,
// where a pidfd in the netpoller wakes a thread of the runtime's choosing
// (bench/RESULTS.md). Start hands it a Process when it waits for none;
// the others are watched. Orphans never wake it: the kernel wakes a
// waitid(P_PID) for its own child only.
func (r *Reaper) exitLoop() {
	defer r.recoverPanic()
	for {
		r.exitIdle.Store(true)
		select {
		case p := <-r.exitNext:
			r.waitExit(p)
		case <-r.stop:
			if !r.exitIdle.CompareAndSwap(true, false) {
				r.waitExit(<-r.exitNext) // a Start took the turn
			}
			return
		}
	}
}

// waitExit waits until p, which the kernel reaps, is gone (waitid then
// says ECHILD), reads its exit from its pidfd and yields to its waiter.
// It waits by pid, holding no reference to the pidfd, which Close may
// close meanwhile: the pid is not reused before waitid has seen the exit,
// short of the whole pid space cycling between Start and the wait, and
// even then the exit comes from p's own pidfd, only later. A zombie means
// Close gave SIGCHLD back meanwhile: it is left for whoever waits next,
// as on the pidfd tier after Close.
func (r *Reaper) waitExit(p *Process) {
	if p == nil {
		return
	}
	var si unix.Siginfo
	err := ignoringEINTR(func() error {
		if e := waitidBlocking(unix.P_PID, p.pid, &si, unix.WEXITED|unix.WNOWAIT); e != 0 {
			return e
		}
		return nil
	})
	if err == nil {
		return // a zombie
	}
	var e Exit
	rc, cerr := p.pidfd.SyscallConn()
	if cerr != nil || rc.Control(func(fd uintptr) { e, err = exitPublished(int(fd)) }) != nil {
		p.finish(Exit{}, ErrClosed)
		return
	}
	p.finish(e, err)
	runtime.Gosched()
}

// Features returns what the kernel offers, less what Options.Disable
// turned off.
func (r *Reaper) Features() Features { return r.feat }

// Tier returns how this reaper creates and waits for children.
func (r *Reaper) Tier() Tier { return r.tier }

// Orphans returns how many processes not started by tinit were reaped: 0
// when the kernel reaps them (KernelReaps).
func (r *Reaper) Orphans() uint64 { return r.orphans.Load() }

// KernelReaps says whether the kernel reaps every child of tinit's as it
// exits (6.15+, without OnOrphan): no orphan ever waits as a zombie for
// tinit's loop.
func (r *Reaper) KernelReaps() bool { return r.kernelReaps }

// Close stops reaping. Processes still running are not touched, but on
// the pidfd tier nobody will reap them any more: stop them first.
func (r *Reaper) Close() error {
	select {
	case <-r.stop:
		return nil
	default:
	}
	if !r.watched() {
		r.waitLoopMu.Lock()
		r.waitOff = true
		r.waitLoopMu.Unlock()
	}
	close(r.stop)
	r.catch.close()
	<-r.stopped
	running.Store(false)
	return nil
}

// Start starts the process spec describes. The returned error is a
// *StartError when the child ran but could not exec (the child is gone
// then), and names the clone otherwise.
func (r *Reaper) Start(spec *Spec) (*Process, error) {
	select {
	case <-r.stop:
		return nil, ErrClosed
	default:
	}
	pl, err := r.prepare(spec)
	if err != nil {
		return nil, err
	}
	if !r.watched() {
		r.waitMu.RLock()
		defer r.kickWaitLoop() // after the unlock: waitLoop's reap takes the lock
		defer r.waitMu.RUnlock()
	}
	pid, err := spawn(pl)
	if err != nil {
		return nil, fmt.Errorf("start %q: %w", spec.Path, err)
	}
	if pl.failStage != stageNone {
		r.discard(pl)
		return nil, &StartError{Path: spec.Path, Stage: pl.failStage, Err: syscall.Errno(pl.failErrno)}
	}
	waited := r.exitIdle.CompareAndSwap(true, false) // only exitLoop sets it
	p, err := newProcess(r, pid, int(pl.pidfd), spec.Autokill && !(r.tier == TierAutoreap && r.feat.Has(Autokill)), r.watched() && !waited)
	if err != nil {
		if waited {
			r.exitNext <- nil // the turn back
		}
		return nil, err
	}
	switch {
	case waited:
		p.waited = true
		r.exitNext <- p
	case r.watched():
		go p.watch()
	default:
		r.procsMu.Lock()
		r.procs[pid] = p
		r.procsMu.Unlock()
	}
	return p, nil
}

// kickWaitLoop wakes waitLoop if it waits for a child.
func (r *Reaper) kickWaitLoop() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// discard cleans up after a child that failed before exec: it has exited
// already (the vfork is over). Unless the kernel reaped it (watched), it
// is reaped here, under the shared wait lock, so the loop never reports
// it as an orphan.
func (r *Reaper) discard(pl *plan) {
	if !r.watched() {
		waitPidfd(int(pl.pidfd))
	}
	unix.Close(int(pl.pidfd))
}

// waitLoop reaps, on the pidfd tier, every child of tinit's the moment it
// exits: it sleeps in waitid (leaving the status for reap to take) until
// a child has exited, reaps every child that has, and yields, so that a
// goroutine waiting for one runs on this thread at once. The kernel
// wakes a thread asleep in waitid on the exiting child's CPU, as it
// wakes os/exec's Wait; a pidfd in the netpoller, or SIGCHLD through the
// handler's eventfd, wakes a thread of the runtime's choosing, which then
// hands the goroutine on (bench/RESULTS.md). It is one thread for all the
// children, not one per process.
//
// Meanwhile the kernel discards SIGCHLD (catchChild), which would
// otherwise wake a second thread for each exit: the one it picks to run
// the handler. With no child at all, waitLoop waits for Start instead
// (waitForChild), and the loop reaps on SIGCHLD: an orphan may come
// without a child of tinit's to wait for (the child of a process that
// `docker exec` ran). Close waits for a reap under way (waitLoopMu);
// after it, waitLoop reaps nothing and leaves SIGCHLD alone (waitOff),
// and returns then, or when waitid next returns.
func (r *Reaper) waitLoop() {
	defer r.recoverPanic()
	for r.catchChild(false) {
		switch waitExited(true) {
		case nil:
			// Only a Process's end may have woken a goroutine to yield to;
			// a yield also wakes an idle thread to look for work, which
			// an orphan's reaping need not pay for.
			if r.reapWhileOpen() {
				runtime.Gosched()
			}
		case syscall.ECHILD:
			if !r.waitForChild() {
				return
			}
		}
	}
}

// waitForChild waits, with no child to wait for, until Start makes one,
// with SIGCHLD caught meanwhile; first it looks once more for a child
// that came before, whose SIGCHLD may have been discarded. It is false
// once the Reaper is closed.
func (r *Reaper) waitForChild() bool {
	if !r.catchChild(true) {
		return false
	}
	if waitExited(false) != syscall.ECHILD {
		return true
	}
	select {
	case <-r.kick:
		return true
	case <-r.stop:
		return false
	}
}

// catchChild has SIGCHLD caught, or discarded (catcher.catchChild), for
// waitLoop; false once Close has taken SIGCHLD back, and then it changes
// nothing.
func (r *Reaper) catchChild(catch bool) bool {
	r.waitLoopMu.Lock()
	defer r.waitLoopMu.Unlock()
	if r.waitOff {
		return false
	}
	r.catch.catchChild(catch)
	return true
}

// reapWhileOpen is reapAll for waitLoop, until Close: it says whether it
// reaped a child that Start made.
func (r *Reaper) reapWhileOpen() bool {
	r.waitLoopMu.Lock()
	defer r.waitLoopMu.Unlock()
	return !r.waitOff && r.reapAll()
}

// waitExited waits, with block, for a child of tinit's to exit, and
// leaves it unreaped: nil when one has (or, without block, when some
// child exists), ECHILD when there is no child at all. Blocking, it gives
// the thread's P to others at once (waitidBlocking); without, it is a raw
// system call.
func waitExited(block bool) error {
	var errno syscall.Errno
	if block {
		var si unix.Siginfo
		errno = waitidBlocking(unix.P_ALL, 0, &si, unix.WEXITED|unix.WNOWAIT)
	} else {
		errno = peekChildren(0)
	}
	if errno != 0 {
		return errno
	}
	return nil
}

// peekChildren is waitid(P_ALL) with WEXITED|WNOHANG|WNOWAIT and extra
// options, as a raw system call: it never blocks and reaps nothing. 0
// when tinit has a child, ECHILD when it has none.
func peekChildren(extra int) syscall.Errno {
	var si unix.Siginfo
	_, _, errno := syscall.RawSyscall6(syscall.SYS_WAITID, unix.P_ALL, 0, uintptr(unsafe.Pointer(&si)), uintptr(unix.WEXITED|unix.WNOHANG|unix.WNOWAIT|extra), 0, 0)
	return errno
}

// loop reaps on every SIGCHLD, and passes the other signals caught to
// OnSignal, until Close; then it reaps once more: an orphan that exited
// before Close is reaped and reported.
func (r *Reaper) loop() {
	defer close(r.stopped)
	r.reapAll()
	r.reportSignals(false) // held ones that came before New (HoldSignals)
	for {
		err := r.catch.wait()
		if r.catch.takeChild() || err != nil {
			r.reapAll()
		}
		r.reportSignals(false)
		if err != nil {
			return
		}
	}
}

// reportSignals passes the signals caught, but SIGCHLD, to OnSignal;
// settle: those being marked too (catcher.takeOthers).
func (r *Reaper) reportSignals(settle bool) {
	if r.opts.OnSignal == nil {
		return
	}
	r.catch.reportMu.Lock()
	defer r.catch.reportMu.Unlock()
	pending, forwarded := r.catch.takeOthers(settle)
	r.report(pending, false)
	r.report(forwarded, true)
}

func (r *Reaper) report(set uint64, forwarded bool) {
	defer r.recoverPanic()
	for s := syscall.Signal(1); set != 0; s++ {
		if set&bit(s) != 0 {
			r.opts.OnSignal(s, forwarded)
		}
		set &^= bit(s)
	}
}

// reapAll reaps until no child has exited: SIGCHLD coalesces, so one
// signal may stand for many exits. Those waiting for a change hear of
// the orphans once, at the end of the batch. A panic in OnOrphan ends
// that call, not the batch: no SIGCHLD may come for the rest. It says
// whether it reaped a child that Start made, rather than only orphans.
func (r *Reaper) reapAll() (started bool) {
	defer r.recoverPanic()
	orphans := false
	defer func() {
		if orphans {
			r.changed()
		}
	}()
	for {
		reaped, orphan := r.reapOne()
		orphans = orphans || orphan
		started = started || reaped && !orphan
		if !reaped {
			return started
		}
	}
}

// reapOne reaps one exited child, if any, and says whether it was an
// orphan. A child of tinit's gets its status under the wait lock
// (SignalGroup relies on it); an orphan is reported after the lock is
// released, so that OnOrphan may start processes.
func (r *Reaper) reapOne() (reaped, orphan bool) {
	pid, e, orphan := r.waitOne()
	if pid <= 0 {
		return false, false
	}
	if orphan {
		r.orphans.Add(1)
		if r.opts.OnOrphan != nil {
			r.onOrphan(pid, e)
		}
	}
	return true, orphan
}

// onOrphan calls OnOrphan. Both the loop and waitLoop reap orphans, and
// may for a moment at once: when a Start wakes waitLoop while the loop
// still reaps on a SIGCHLD caught with no child.
func (r *Reaper) onOrphan(pid int, e Exit) {
	r.orphanMu.Lock()
	defer r.orphanMu.Unlock()
	defer r.recoverPanic()
	r.opts.OnOrphan(pid, e)
}

func (r *Reaper) waitOne() (pid int, e Exit, orphan bool) {
	if !r.watched() {
		r.waitMu.Lock()
		defer r.waitMu.Unlock()
	}
	return r.reap(-1)
}

// reap reaps which (a pid, or -1 for any child) if it has exited, without
// blocking, and routes the status to its Process; a pid without one is an
// orphan. pid is 0 when nothing was reaped. The caller holds the wait lock
// on the pidfd tier.
func (r *Reaper) reap(which int) (pid int, e Exit, orphan bool) {
	var ws syscall.WaitStatus
	pid = wait4NoHang(which, &ws)
	if pid <= 0 {
		return 0, Exit{}, false
	}
	e = exitFromWaitStatus(ws)
	r.procsMu.Lock()
	p := r.procs[pid]
	delete(r.procs, pid)
	r.procsMu.Unlock()
	if p == nil {
		return pid, e, true
	}
	p.finish(e, nil)
	return pid, e, false
}

// wait4NoHang is wait4(which, ws, WNOHANG): the pid reaped, or 0 when
// none has exited, or -1 on an error (ECHILD: no child at all). It is a
// raw system call: with WNOHANG it never blocks, so the scheduler's
// entersyscall and exitsyscall, paid for every orphan of a storm, buy
// nothing.
func wait4NoHang(which int, ws *syscall.WaitStatus) int {
	pid := -1
	ignoringEINTR(func() error {
		r1, _, errno := syscall.RawSyscall6(syscall.SYS_WAIT4, uintptr(which), uintptr(unsafe.Pointer(ws)), syscall.WNOHANG, 0, 0, 0)
		if errno != 0 {
			return errno
		}
		pid = int(r1)
		return nil
	})
	return pid
}

func (r *Reaper) recoverPanic() {
	if v := recover(); v != nil {
		if r.opts.OnPanic == nil {
			panic(v)
		}
		r.opts.OnPanic(v)
	}
}

// usable says whether tinit can create children on this kernel at all
// (Probe found out).
func (fs *Features) usable() error {
	if fs.unusable != nil {
		return fmt.Errorf("start reaper: %w", fs.unusable)
	}
	return nil
}

// inheritedLeakyFDs lists the open fds without FD_CLOEXEC. tinit opens
// every fd close-on-exec, so these were inherited; on kernels without
// close_range the child marks them close-on-exec one by one.
func inheritedLeakyFDs() []int32 {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return nil
	}
	var fds []int32
	for _, e := range entries {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd < 3 {
			continue
		}
		if flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err == nil && flags&unix.FD_CLOEXEC == 0 {
			fds = append(fds, int32(fd))
		}
	}
	return fds
}
