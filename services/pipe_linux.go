package services

import (
	"os"

	"golang.org/x/sys/unix"
)

// childPipe makes a pipe whose read end tinit polls and whose write end
// goes to a child: only the read end is non-blocking and registered with
// the runtime's poller, which saves two epoll_ctl calls per pipe that
// os.Pipe would make for an end tinit never uses.
func childPipe() (r, w *os.File, err error) {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		return nil, nil, os.NewSyscallError("pipe2", err)
	}
	if err := unix.SetNonblock(p[0], true); err != nil {
		unix.Close(p[0])
		unix.Close(p[1])
		return nil, nil, os.NewSyscallError("fcntl O_NONBLOCK", err)
	}
	return os.NewFile(uintptr(p[0]), "|0"), os.NewFile(uintptr(p[1]), "|1"), nil
}
