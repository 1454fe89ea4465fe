package reaper

import (
	"context"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/unix"
)

// Process is a child started by a Reaper. It owns the child's pidfd: every
// signal goes through it, so a signal can never reach another process
// that reused the pid.
//
// A Process must be closed. For an Autokill process the pidfd is what
// keeps the child alive: Close while it runs kills it.
type Process struct {
	r   *Reaper
	pid int
	// pidfd is the clone3 pidfd as an *os.File: on the autoreap tier the
	// netpoller watches it (watch); its lock makes Signal safe against
	// Close.
	pidfd *os.File
	// killOnClose: Autokill emulated by tinit (the kernel has no
	// CLONE_PIDFD_AUTOKILL).
	killOnClose bool
	// waited: Reaper.exitLoop waits for it (kernelReaps on the pidfd
	// tier), not watch.
	waited bool

	done       chan struct{}
	exit       Exit
	err        error // why exit is unknown: ErrClosed
	finishOnce sync.Once
	closeOnce  sync.Once
	closed     atomic.Bool
}

func newProcess(r *Reaper, pid, pidfd int, killOnClose, watched bool) (*Process, error) {
	// Non-blocking when watch reads its exit, so that os.NewFile
	// registers it with the netpoller. F_SETFL alone: a pidfd has no
	// other flag it could clear. Otherwise waitLoop or exitLoop learns of
	// the exit, and the netpoller has no use for it.
	if watched {
		if _, err := unix.FcntlInt(uintptr(pidfd), unix.F_SETFL, unix.O_NONBLOCK); err != nil {
			unix.Close(pidfd)
			return nil, os.NewSyscallError("fcntl O_NONBLOCK", err)
		}
	}
	return &Process{
		r:           r,
		pid:         pid,
		pidfd:       os.NewFile(uintptr(pidfd), "pidfd:"+strconv.Itoa(pid)),
		killOnClose: killOnClose,
		done:        make(chan struct{}),
	}, nil
}

// Pid returns the process id. Use it for logs, not to signal the process.
func (p *Process) Pid() int { return p.pid }

// Done is closed when the process has ended, or when it was closed before
// its end was seen.
func (p *Process) Done() <-chan struct{} { return p.done }

// Exit waits for Done and returns how the process ended; the zero Exit if
// the Process was closed before its end was seen.
func (p *Process) Exit() Exit {
	<-p.done
	return p.exit
}

// Wait waits for the process to end, or for ctx. It fails with ErrClosed
// when the Process was closed before the end was seen.
func (p *Process) Wait(ctx context.Context) (Exit, error) {
	select {
	case <-p.done:
		return p.exit, p.err
	case <-ctx.Done():
		return Exit{}, ctx.Err()
	}
}

// Signal sends sig to the process. After Close, the error is ErrClosed;
// after the process ended, ErrProcessDone.
func (p *Process) Signal(sig syscall.Signal) error {
	return p.send(sig, 0)
}

// SignalGroup sends sig to the process group that the process leads
// (started with Setsid or Setpgid).
func (p *Process) SignalGroup(sig syscall.Signal) error {
	if p.r.feat.Has(PidfdGroupSignal) {
		return p.send(sig, unix.PIDFD_SIGNAL_PROCESS_GROUP)
	}
	// Before 6.9: kill(-pgid). The group cannot have been recycled: the
	// leader is not reaped (the routing below waits on waitMu, and done
	// is still open), and a pgid stays taken while its leader's pid is.
	p.r.waitMu.RLock()
	defer p.r.waitMu.RUnlock()
	if err := p.ended(); err != nil {
		return err
	}
	return os.NewSyscallError("kill", ignoringEINTR(func() error {
		return syscall.Kill(-p.pid, sig)
	}))
}

func (p *Process) send(sig syscall.Signal, flags int) error {
	if err := p.ended(); err != nil {
		return err
	}
	rc, err := p.pidfd.SyscallConn()
	if err != nil {
		return ErrClosed
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		serr = ignoringEINTR(func() error {
			return unix.PidfdSendSignal(int(fd), sig, nil, flags)
		})
	}); err != nil {
		return ErrClosed
	}
	if serr == unix.ESRCH {
		return ErrProcessDone
	}
	return os.NewSyscallError("pidfd_send_signal", serr)
}

// ended says why no signal can be sent to p any more: ErrProcessDone
// once its end was seen, ErrClosed once it was closed; nil while both
// are still to come.
func (p *Process) ended() error {
	select {
	case <-p.done:
		if p.err == nil {
			return ErrProcessDone
		}
		return ErrClosed
	default:
	}
	if p.closed.Load() {
		return ErrClosed
	}
	return nil
}

// dupPidfd returns a close-on-exec copy of the pidfd, for the signal
// relay; ErrClosed after Close.
func (p *Process) dupPidfd() (int, error) {
	rc, err := p.pidfd.SyscallConn()
	if err != nil {
		return -1, ErrClosed
	}
	fd := -1
	if err := rc.Control(func(pidfd uintptr) {
		fd, err = unix.FcntlInt(pidfd, unix.F_DUPFD_CLOEXEC, 3)
	}); err != nil {
		return -1, ErrClosed
	}
	return fd, os.NewSyscallError("fcntl F_DUPFD_CLOEXEC", err)
}

// Close releases the pidfd. If the process was started with Autokill and
// still runs, it is killed; otherwise it runs on, unobserved (and on the
// pidfd tier is still reaped as tinit's child).
func (p *Process) Close() error {
	var err error
	p.closeOnce.Do(func() {
		select {
		case <-p.done:
		default:
			if p.killOnClose {
				p.Signal(syscall.SIGKILL)
			}
		}
		p.closed.Store(true)
		err = p.pidfd.Close()
		if p.r.watched() && !p.waited {
			return // watch sees the close and finishes
		}
		// The loop (or the kernel) still reaps the child; nobody waits
		// for it any more.
		p.finish(Exit{}, ErrClosed)
	})
	return err
}

// finish records the end and wakes the waiters; only the first call
// counts. The signals caught until now are reported first.
func (p *Process) finish(e Exit, err error) {
	p.finishOnce.Do(func() {
		p.r.reportSignals(true)
		p.exit, p.err = e, err
		close(p.done)
		p.r.changed()
	})
}

// watch waits, on the autoreap tier, for the pidfd to turn readable
// through the netpoller (no thread is blocked per process), then reads
// the exit from it.
func (p *Process) watch() {
	defer p.r.recoverPanic()
	rc, err := p.pidfd.SyscallConn()
	if err == nil {
		err = rc.Read(func(fd uintptr) bool {
			if !pidfdExited(int(fd)) {
				return false
			}
			p.finish(exitPublished(int(fd)))
			return true
		})
	}
	switch {
	case err != nil && p.closed.Load():
		p.finish(Exit{}, ErrClosed)
	case err != nil:
		p.finish(Exit{}, err)
	}
}
