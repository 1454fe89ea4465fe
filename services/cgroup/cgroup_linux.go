package cgroup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

const supported = true

// openDir opens a group directory for CLONE_INTO_CGROUP. The kernel takes
// an O_RDONLY or O_PATH fd (clone3(2)); O_RDONLY also serves openat.
func openDir(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|unix.O_DIRECTORY, 0)
}

// isGone says whether moving a process failed because it already exited.
func isGone(err error) bool { return errors.Is(err, unix.ESRCH) }

// watchFile calls check, then again each time the kernel reports that the
// file was modified, until check says done or fails or ctx ends. kernfs
// reports changes of cgroup.events to inotify as IN_MODIFY.
func watchFile(ctx context.Context, path string, check func() (bool, error)) error {
	fd, err := unix.InotifyInit1(unix.IN_CLOEXEC | unix.IN_NONBLOCK)
	if err != nil {
		return os.NewSyscallError("inotify_init1", err)
	}
	if _, err := unix.InotifyAddWatch(fd, path, unix.IN_MODIFY); err != nil {
		unix.Close(fd)
		return fmt.Errorf("watch %q: %w", path, os.NewSyscallError("inotify_add_watch", err))
	}
	in := os.NewFile(uintptr(fd), "inotify:"+path) // non-blocking: Read waits in the poller
	defer in.Close()
	stop := context.AfterFunc(ctx, func() { in.SetReadDeadline(time.Unix(1, 0)) })
	defer stop()
	buf := make([]byte, 4*unix.SizeofInotifyEvent+unix.PathMax)
	for {
		if done, err := check(); done || err != nil {
			return err
		}
		if _, err := in.Read(buf); err != nil {
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			return fmt.Errorf("watch %q: %w", path, err)
		}
	}
}

// killMembers sends SIGKILL to each of pids through a pidfd. A pidfd pins
// the process it was opened for; re-listing the group after opening them
// proves each such process is still a member, so a pid reused by an
// outsider between the two reads is never signalled.
func killMembers(pids []int, list func() ([]int, error)) error {
	fds := map[int]int{}
	defer func() {
		for _, fd := range fds {
			unix.Close(fd)
		}
	}()
	for _, pid := range pids {
		fd, err := unix.PidfdOpen(pid, 0)
		switch {
		case err == nil:
			fds[pid] = fd
		case err == unix.ESRCH:
		default:
			return os.NewSyscallError("pidfd_open", err) // ENOSYS before 5.3
		}
	}
	members, err := list()
	if err != nil {
		return err
	}
	for _, pid := range members {
		fd, ok := fds[pid]
		if !ok {
			continue // joined after the first list: not pinned, left alone
		}
		if err := unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0); err != nil && err != unix.ESRCH {
			return os.NewSyscallError("pidfd_send_signal", err)
		}
	}
	return nil
}
