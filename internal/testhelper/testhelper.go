// Package testhelper lets a test binary double as the helper programs its
// tests start: started with argv[0] "helper-NAME" (or a path ending so),
// the binary runs that helper instead of the tests, and the environment
// stays free for the tests to check. For tests only.
package testhelper

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Helpers maps each helper's name to its main, which returns the exit
// code.
type Helpers map[string]func(args []string) int

// RunIfHelper runs the helper this process was started as, and exits with
// its code; it returns when the process is the test binary itself.
func (h Helpers) RunIfHelper() {
	name, ok := strings.CutPrefix(filepath.Base(os.Args[0]), "helper-")
	if !ok {
		return
	}
	f, ok := h[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "unknown helper %q\n", name)
		os.Exit(99)
	}
	ExitHelper(f(os.Args[1:]))
}

// ExitHelper ends a helper process with code. Not os.Exit: in a binary
// built with -race, that runs the race runtime's finaliser, which sleeps
// a second (atexit_sleep_ms) whenever more than one thread exists; a
// helper has no race worth that wait to report.
func ExitHelper(code int) {
	syscall.Exit(code)
}

// Install copies the running test binary to dir/helper, which every user
// may execute (tests start helpers with other credentials), links
// dir/helper-NAME to it for each helper, and returns dir/helper.
func (h Helpers) Install(dir string) (string, error) {
	if err := os.Chmod(dir, 0o755); err != nil {
		return "", err
	}
	b, err := os.ReadFile("/proc/self/exe")
	if err != nil {
		return "", fmt.Errorf("copy the test binary: %w", err)
	}
	path := filepath.Join(dir, "helper")
	if err := os.WriteFile(path, b, 0o755); err != nil {
		return "", fmt.Errorf("copy the test binary: %w", err)
	}
	for name := range h {
		if err := os.Symlink("helper", filepath.Join(dir, "helper-"+name)); err != nil {
			return "", err
		}
	}
	return path, nil
}

// Exit exits with the code args[0].
func Exit(args []string) int {
	n, _ := strconv.Atoi(args[0])
	return n
}

// MarkExit creates each file args[1:] names, empty, and exits with the
// code args[0]: 99 for bad arguments, 98 when a file cannot be made.
func MarkExit(args []string) int {
	if len(args) < 1 {
		fmt.Fprintln(os.Stderr, "usage: markexit CODE [FILE...]")
		return 99
	}
	code, err := strconv.Atoi(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 99
	}
	for _, f := range args[1:] {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 98
		}
	}
	return code
}

// KillSelf dies of signal args[0], by the kernel's default action.
func KillSelf(args []string) int {
	n, _ := strconv.Atoi(args[0])
	DefaultAction(syscall.Signal(n))
	unix.Kill(os.Getpid(), syscall.Signal(n))
	return SleepForever()
}

// DefaultAction gives sigs back to the kernel's default action. The Go
// runtime keeps its own handler even after signal.Reset, and that handler
// ignores a signal such as SIGUSR1 that nothing asked for.
func DefaultAction(sigs ...syscall.Signal) {
	var dfl [4]uint64 // a zeroed struct sigaction is SIG_DFL
	for _, s := range sigs {
		unix.RawSyscall6(unix.SYS_RT_SIGACTION, uintptr(s), uintptr(unsafe.Pointer(&dfl)), 0, 8, 0, 0)
	}
}

// PrintEnv prints the environment block as the kernel gave it, a line
// each (os.Environ drops duplicate keys).
func PrintEnv([]string) int {
	b, _ := os.ReadFile("/proc/self/environ")
	for _, kv := range strings.Split(string(b), "\x00") {
		if kv != "" {
			fmt.Println(kv)
		}
	}
	return 0
}

// SleepForever blocks in pause(2): to the Go runtime a thread in a system
// call, not a deadlock ("all goroutines are asleep") to abort.
func SleepForever() int {
	for {
		unix.Pause()
	}
}

// StatusField returns the value of key in the text of /proc/PID/status
// ("SigBlk" gives "0000000000010000"), or "".
func StatusField(status, key string) string {
	for _, line := range strings.Split(status, "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// WaitsInRtSigtimedwait waits, for at most 10s, until the main thread of
// pid is in rt_sigtimedwait (reaper.ServeSignals), and says so. It is
// for tests only, and it polls: the kernel has no event for a thread
// entering a system call that another process could wait on (ptrace
// would stop the very thread under test), so it reads the thread's
// /proc syscall file every millisecond, as leaktest polls for fds to
// close.
func WaitsInRtSigtimedwait(pid int) error {
	file := fmt.Sprintf("/proc/%d/task/%d/syscall", pid, pid)
	var b []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		var err error
		if b, err = os.ReadFile(file); err != nil {
			return err
		}
		if nr, _, _ := strings.Cut(string(b), " "); nr == strconv.Itoa(unix.SYS_RT_SIGTIMEDWAIT) {
			return nil
		}
	}
	return fmt.Errorf("the main thread of %d is not in rt_sigtimedwait after 10s: %s", pid, b)
}
