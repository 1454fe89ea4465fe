package reaper

import (
	"errors"
	"os"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// pidfdInfo is struct pidfd_info up to exit_code (PIDFD_INFO_SIZE_VER0):
// the first version, which every kernel with PIDFD_GET_INFO accepts.
type pidfdInfo struct {
	mask     uint64
	cgroupID uint64
	pid      uint32
	tgid     uint32
	ppid     uint32
	ruid     uint32
	rgid     uint32
	euid     uint32
	egid     uint32
	suid     uint32
	sgid     uint32
	fsuid    uint32
	fsgid    uint32
	exitCode int32
}

// pidfdGetInfo is PIDFD_GET_INFO for the 64-byte first version of the
// struct: _IOWR(0xFF, 11, 64).
const pidfdGetInfo = 0xc040ff0b

var errNoExitInfo = errors.New("no exit information yet")

// exitInfo reads a finished process's exit from its pidfd. It fails with
// errNoExitInfo (or ESRCH) while the process runs and during the short
// window after it exits in which the kernel has not yet published the
// status.
func exitInfo(pidfd int) (Exit, error) {
	info := pidfdInfo{mask: unix.PIDFD_INFO_EXIT}
	err := ignoringEINTR(func() error {
		_, _, e := unix.RawSyscall(unix.SYS_IOCTL, uintptr(pidfd), pidfdGetInfo, uintptr(unsafe.Pointer(&info))) // never blocks: no runtime hooks, which wake sysmon
		if e != 0 {
			return e
		}
		return nil
	})
	if err != nil {
		return Exit{}, os.NewSyscallError("ioctl PIDFD_GET_INFO", err)
	}
	if info.mask&unix.PIDFD_INFO_EXIT == 0 {
		return Exit{}, errNoExitInfo
	}
	return exitFromWaitStatus(syscall.WaitStatus(info.exitCode)), nil
}

// pidfdExited reports whether the process behind pidfd has exited, without
// blocking: a pidfd polls readable once its process is gone. The poll has
// a zero timeout, so it is a raw system call: the runtime's hooks would
// wake sysmon after an idle spell for nothing.
func pidfdExited(pidfd int) bool {
	fd := unix.PollFd{Fd: int32(pidfd), Events: unix.POLLIN}
	var zero unix.Timespec
	n, _, errno := unix.RawSyscall6(unix.SYS_PPOLL, uintptr(unsafe.Pointer(&fd)), 1, uintptr(unsafe.Pointer(&zero)), 0, 0, 0)
	return errno == 0 && n > 0
}

// exitPublished waits for the exit information of a process known to have
// exited. The pidfd turns readable before the kernel publishes the status,
// and no second wake-up comes when it does; the window is a few
// microseconds, so the wait backs off from a yield to at most a
// millisecond between tries.
func exitPublished(pidfd int) (Exit, error) {
	delay := time.Duration(0)
	for {
		e, err := exitInfo(pidfd)
		if err == nil || !(errors.Is(err, errNoExitInfo) || errors.Is(err, unix.ESRCH)) {
			return e, err
		}
		time.Sleep(delay) // a retry with backoff: there is no event to wait for
		delay = min(2*delay+time.Microsecond, time.Millisecond)
	}
}

// waitExitInfo blocks until the process behind pidfd has exited and its
// status is published. Used by the probe only; Processes wait through the
// netpoller.
func waitExitInfo(pidfd int) (Exit, error) {
	fds := []unix.PollFd{{Fd: int32(pidfd), Events: unix.POLLIN}}
	if err := ignoringEINTR(func() error { _, err := unix.Poll(fds, -1); return err }); err != nil {
		return Exit{}, os.NewSyscallError("poll", err)
	}
	return exitPublished(pidfd)
}

// ignoringEINTR retries f while it fails with EINTR.
func ignoringEINTR(f func() error) error {
	for {
		if err := f(); err != syscall.EINTR {
			return err
		}
	}
}
