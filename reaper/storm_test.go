package reaper

import (
	"fmt"
	"os"
	"strconv"
	"syscall"

	"golang.org/x/sys/unix"
)

// helperStorm makes orphans for the reaper under test: "storm BATCHES
// SIZE" runs BATCHES times a child that itself makes SIZE children that
// exit at once, and exits without reaping them; they are reparented to
// the init of the namespace (or to the nearest subreaper) as zombies.
// Everything is vfork: the orphan makers and the orphans never exec, so
// one orphan costs a few microseconds.
func helperStorm(args []string) int {
	batches, _ := strconv.Atoi(args[0])
	size, _ := strconv.Atoi(args[1])
	b := &stormBatch{size: size}
	for i := 0; i < batches; i++ {
		pid, errno := stormFork(b)
		if errno != 0 {
			fmt.Fprintf(os.Stderr, "storm: clone: %v\n", syscall.Errno(errno))
			return 1
		}
		var ws syscall.WaitStatus
		if _, err := syscall.Wait4(int(pid), &ws, 0, nil); err != nil || ws.ExitStatus() != 0 {
			fmt.Fprintf(os.Stderr, "storm: batch %d: %v %v\n", i, err, ws)
			return 1
		}
	}
	return 0
}

type stormBatch struct{ size int }

const stormFlags = unix.CLONE_VM | unix.CLONE_VFORK | uintptr(syscall.SIGCHLD)

// stormFork starts one batch: a child that makes b.size orphans-to-be.
//
//go:nosplit
//go:norace
func stormFork(b *stormBatch) (pid, errno uintptr) {
	runtimeBeforeFork()
	pid, errno = rawVfork(unix.SYS_CLONE, stormFlags, 0, 0)
	if errno != 0 || pid != 0 {
		runtimeAfterFork()
		return pid, errno
	}
	stormChild(b)
	return 0, 0
}

//go:nosplit
//go:norace
func stormChild(b *stormBatch) {
	code := uintptr(0)
	for i := 0; i < b.size; i++ {
		pid, errno := rawVfork(unix.SYS_CLONE, stormFlags, 0, 0)
		if errno != 0 {
			code = 1
			break
		}
		if pid == 0 {
			rawSyscall6(unix.SYS_EXIT_GROUP, 0, 0, 0, 0, 0, 0)
		}
	}
	rawSyscall6(unix.SYS_EXIT_GROUP, code, 0, 0, 0, 0, 0)
}
