package reaper

import (
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A system call that may block for as long as a process lives gives up
// its thread's P at once (entersyscallblock), as the runtime does for its
// own such calls. syscall.Syscall would keep the P (entersyscall), and
// sysmon, which cannot go to sleep while a P is in a system call, would
// poll every 20 µs until it takes the P back, after 10 ms: about a
// hundred wake-ups after every start, on an otherwise idle machine.
//
// The runtime keeps these linkable (go.dev/issue/67401), as it does its
// fork hooks (spawn_linux.go).
//
//go:linkname entersyscallblock runtime.entersyscallblock
func entersyscallblock()

//go:linkname exitsyscall runtime.exitsyscall
func exitsyscall()

// waitidBlocking is waitid(idtype, id, info, options) as such a call:
// nosplit, as syscall.Syscall6 is, so that the stack the runtime recorded
// stays where it is.
//
//go:nosplit
func waitidBlocking(idtype, id int, info *unix.Siginfo, options int) syscall.Errno {
	entersyscallblock()
	_, _, errno := syscall.RawSyscall6(syscall.SYS_WAITID, uintptr(idtype), uintptr(id), uintptr(unsafe.Pointer(info)), uintptr(options), 0, 0)
	exitsyscall()
	runtime.KeepAlive(info)
	return errno
}
