package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/tinit/tinit/internal/testhelper"
	"github.com/tinit/tinit/internal/tinitbuild"
)

// These tests run the real tinit binary (built once, as the Makefile
// builds it; or TINIT_BINARY in the VM) with os/exec: the test process
// runs no reaper. The test binary doubles as every child program: started
// with argv[0] "helper-NAME" it runs that helper.

var (
	tinitPath  string // the binary under test
	helperPath string // a copy of this test binary that anyone may run
)

func TestMain(m *testing.M) {
	helpers.RunIfHelper()
	os.Exit(setUp(m))
}

func setUp(m *testing.M) int {
	dir, err := os.MkdirTemp("", "tinit-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	tinitPath = os.Getenv("TINIT_BINARY")
	if tinitPath == "" {
		tinitPath = filepath.Join(dir, "tinit")
		if err := tinitbuild.Build("../..", tinitPath); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
	}
	if helperPath, err = helpers.Install(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return m.Run()
}

var helpers = testhelper.Helpers{
	"exit":      testhelper.Exit,
	"markexit":  testhelper.MarkExit,
	"kill-self": testhelper.KillSelf,
	"pid1-exec": helperPID1Exec,
	"signals":   helperSignals,
	"env":       testhelper.PrintEnv,
	"fds":       helperFDs,
	"status":    helperStatus,
	"sleep":     func([]string) int { return testhelper.SleepForever() },
	"ignore-term": func([]string) int {
		signal.Ignore(syscall.SIGTERM)
		fmt.Println("ready")
		return testhelper.SleepForever()
	},
	"spawn":          helperSpawn,
	"wait-interrupt": helperWaitInterrupt,
	"pair":           helperPair,
	"tagged":         func(args []string) int { return tagged(args[0]) },
	"start-tinit":    helperStartTinit,
	"blocked-exec":   helperBlockedExec,
	"count-signals":  helperCountSignals,
	"refused":        helperRefused,
}

// helperRefused installs the seccomp filter testhelper.Refusals[args[0]],
// then execs args[1:].
func helperRefused(args []string) int {
	if err := testhelper.Refuse(testhelper.Refusals[args[0]]...); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 97
	}
	err := syscall.Exec(args[1], args[1:], os.Environ())
	fmt.Fprintln(os.Stderr, err)
	return 96
}

// helperSignals prints "ready", then the name of each signal it gets, and
// exits 0 after SIGTERM; to the file args[0] if given, else to stdout.
func helperSignals(args []string) int {
	out := os.Stdout
	if len(args) > 0 {
		f, err := os.OpenFile(args[0], os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			return 98
		}
		out = f
	}
	return report(out, "")
}

// helperFDs prints the fds inherited across execve: those without
// FD_CLOEXEC (the Go runtime's own have it).
func helperFDs([]string) int {
	entries, _ := os.ReadDir("/proc/self/fd")
	var fds []int
	for _, e := range entries {
		fd, _ := strconv.Atoi(e.Name())
		if flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err == nil && flags&unix.FD_CLOEXEC == 0 {
			fds = append(fds, fd)
		}
	}
	sort.Ints(fds)
	fmt.Println(strings.Trim(fmt.Sprint(fds), "[]"))
	return 0
}

// helperStatus prints key=value facts about itself.
func helperStatus([]string) int {
	wd, _ := os.Getwd()
	pgid, _ := unix.Getpgid(0)
	sid, _ := unix.Getsid(0)
	fg, err := unix.IoctlGetInt(0, unix.TIOCGPGRP)
	if err != nil {
		fg = -1
	}
	fmt.Printf("pid=%d\nppid=%d\npgid=%d\nsid=%d\nfg=%d\ncwd=%s\n", os.Getpid(), os.Getppid(), pgid, sid, fg, wd)
	return 0
}

// helperSpawn starts "helper-ARGS[1] ARGS[2:]..." as a child, prints its
// pid and exits with code ARGS[0], orphaning it.
func helperSpawn(args []string) int {
	code, _ := strconv.Atoi(args[0])
	cmd := &exec.Cmd{Path: "/proc/self/exe", Args: append([]string{"helper-" + args[1]}, args[2:]...)}
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		return 97
	}
	if len(args) > 1 && args[1] == "ignore-term" {
		bufio.NewReader(out).ReadString('\n') // its handler is in place
	}
	fmt.Println(cmd.Process.Pid)
	return code
}

// helperPID1Exec is PID 1 of a new PID and mount namespace: it mounts a
// /proc of that namespace, as a container runtime does, and execs tinit
// with ARGS.
func helperPID1Exec(args []string) int {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		fmt.Fprintln(os.Stderr, "make / private:", err)
		return 96
	}
	if err := unix.Mount("proc", "/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
		fmt.Fprintln(os.Stderr, "mount /proc:", err)
		return 96
	}
	err := syscall.Exec(args[0], args, environ())
	fmt.Fprintln(os.Stderr, "exec tinit:", err)
	return 96
}

// blockedBySender are the signals helperBlockedExec blocks.
var blockedBySender = []syscall.Signal{syscall.SIGUSR1, syscall.SIGWINCH}

// helperBlockedExec execs args[0] (tinit) with blockedBySender blocked,
// as a parent that blocked them would start it; with a first argument
// "-also=N", signal N too; with "-pending=N" (one of those blocked), N
// is pending for the thread that execs, so tinit starts with it pending.
func helperBlockedExec(args []string) int {
	runtime.LockOSThread() // the mask is the thread's, and so is the exec
	blocked := blockedBySender
	if also, ok := strings.CutPrefix(args[0], "-also="); ok {
		n, err := strconv.Atoi(also)
		if err != nil {
			return 96
		}
		blocked, args = append(blocked, syscall.Signal(n)), args[1:]
	}
	pending := 0
	if p, ok := strings.CutPrefix(args[0], "-pending="); ok {
		n, err := strconv.Atoi(p)
		if err != nil {
			return 96
		}
		pending, args = n, args[1:]
	}
	set := sigset(blocked...)
	if err := unix.PthreadSigmask(unix.SIG_BLOCK, &set, nil); err != nil {
		fmt.Fprintln(os.Stderr, "block signals:", err)
		return 96
	}
	if pending != 0 {
		// To this thread: the others do not block it.
		if err := unix.Tgkill(os.Getpid(), unix.Gettid(), syscall.Signal(pending)); err != nil {
			fmt.Fprintln(os.Stderr, "raise:", err)
			return 96
		}
	}
	err := syscall.Exec(args[0], args, environ())
	fmt.Fprintln(os.Stderr, "exec tinit:", err)
	return 96
}

// sigset is the kernel's set of sigs (1 to 64: all in its first word on
// amd64 and arm64, the only architectures tinit builds for).
func sigset(sigs ...syscall.Signal) unix.Sigset_t {
	var set unix.Sigset_t
	for _, s := range sigs {
		set.Val[0] |= 1 << (s - 1)
	}
	return set
}

// helperCountSignals counts the signals args[0] that it gets, with
// rt_sigtimedwait: started with that signal blocked, as it must be, it
// has it blocked in every thread, so none is lost to a handler and each
// queued one (a real-time signal) counts. It prints "ready", then, once
// it has args[1] of them, the count, and "exact" if no more come within
// half a second (or the count again when one does).
func helperCountSignals(args []string) int {
	sig, err1 := strconv.Atoi(args[0])
	want, err2 := strconv.Atoi(args[1])
	if err1 != nil || err2 != nil {
		return 98
	}
	set := sigset(syscall.Signal(sig))
	var cur unix.Sigset_t
	unix.PthreadSigmask(unix.SIG_BLOCK, nil, &cur)
	if cur.Val[0]&set.Val[0] == 0 {
		fmt.Fprintf(os.Stderr, "count-signals: signal %d is not blocked\n", sig)
		return 97
	}
	fmt.Println("ready")
	got := 0
	for {
		var timeout *unix.Timespec
		if got >= want {
			timeout = &unix.Timespec{Nsec: 500_000_000}
		}
		_, _, errno := unix.Syscall6(unix.SYS_RT_SIGTIMEDWAIT, uintptr(unsafe.Pointer(&set)), 0, uintptr(unsafe.Pointer(timeout)), 8, 0, 0)
		switch errno {
		case 0:
			got++
			if got >= want {
				fmt.Println(got)
			}
		case unix.EAGAIN:
			fmt.Println("exact")
			return 0
		case unix.EINTR:
		default:
			fmt.Fprintln(os.Stderr, "count-signals:", errno)
			return 97
		}
	}
}

// helperPair is a process group of two: it starts "tagged member", then
// acts as "tagged leader".
func helperPair([]string) int {
	cmd := &exec.Cmd{Path: "/proc/self/exe", Args: []string{"helper-tagged", "member"}, Stdout: os.Stdout}
	if err := cmd.Start(); err != nil {
		return 97
	}
	return tagged("leader")
}

// tagged prints "TAG ready", then "TAG SIGNAL" for each signal, and exits
// after SIGTERM.
func tagged(tag string) int { return report(os.Stdout, tag+" ") }

// report writes prefix "ready", then prefix and the name of each signal
// it gets, to out, and returns 0 after SIGTERM.
func report(out io.Writer, prefix string) int {
	ch := make(chan os.Signal, 64)
	signal.Notify(ch, osSignals(forwardedSignals())...)
	fmt.Fprintln(out, prefix+"ready")
	for s := range ch {
		fmt.Fprintln(out, prefix+unix.SignalName(s.(syscall.Signal)))
		if s == syscall.SIGTERM {
			return 0
		}
	}
	return 1
}

// osSignals converts signal numbers for signal.Notify.
func osSignals(sigs []syscall.Signal) []os.Signal {
	out := make([]os.Signal, len(sigs))
	for i, s := range sigs {
		out[i] = syscall.Signal(s)
	}
	return out
}

// helperStartTinit "FILE TINIT ARGS..." starts tinit, waits until FILE
// says "ready" (tinit's child is up, so tinit has set its parent-death
// signal), and exits without waiting for tinit: tinit's parent dies.
func helperStartTinit(args []string) int {
	cmd := &exec.Cmd{Path: args[1], Args: args[1:]}
	if err := cmd.Start(); err != nil {
		return 97
	}
	if !waitFileContains(args[0], "ready\n", 10*time.Second) {
		return 96
	}
	return 0
}

// waitFileContains polls file until it contains s, or the deadline.
func waitFileContains(file, s string, d time.Duration) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(2 * time.Millisecond) {
		if b, _ := os.ReadFile(file); strings.Contains(string(b), s) {
			return true
		}
	}
	return false
}

// helperWaitInterrupt prints the terminal facts, then waits for SIGINT and
// exits 42.
func helperWaitInterrupt([]string) int {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT)
	helperStatus(nil)
	fmt.Println("ready")
	<-ch
	fmt.Println("interrupted")
	return 42
}

// tinit is one run of the binary under test.
type tinit struct {
	t      *testing.T
	cmd    *exec.Cmd
	stdout *bufio.Reader
	stderr bytes.Buffer
	pid1   bool
}

// start runs tinit with args (its own options, then "--" and the command).
// With pid1 it is PID 1 of a new PID namespace.
func start(t *testing.T, pid1 bool, args ...string) *tinit {
	t.Helper()
	tt := &tinit{t: t, pid1: pid1}
	tt.cmd = exec.Command(tinitPath, args...)
	if pid1 {
		tt.cmd = exec.Command(helperPath, append([]string{tinitPath}, args...)...)
		tt.cmd.Args[0] = "helper-pid1-exec"
	}
	tt.cmd.Env = []string{"PATH=/usr/bin:/bin", "HELPER=" + helperPath}
	tt.cmd.Stderr = &tt.stderr
	// A child that outlives a failed tinit holds stderr open: Wait
	// must not wait for it for ever.
	tt.cmd.WaitDelay = 5 * time.Second
	out, err := tt.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	tt.stdout = bufio.NewReader(out)
	if pid1 {
		tt.cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID | syscall.CLONE_NEWNS}
	}
	tt.cmd.SysProcAttr = withPdeathsig(tt.cmd.SysProcAttr)
	return tt
}

func withPdeathsig(a *syscall.SysProcAttr) *syscall.SysProcAttr {
	if a == nil {
		a = &syscall.SysProcAttr{}
	}
	a.Pdeathsig = syscall.SIGKILL
	return a
}

func (tt *tinit) run() {
	tt.t.Helper()
	if err := tt.cmd.Start(); err != nil {
		tt.t.Fatal(err)
	}
	tt.t.Cleanup(func() {
		if tt.cmd.ProcessState == nil {
			tt.cmd.Process.Kill()
			tt.cmd.Wait()
		}
	})
}

// line reads one line of the child's output, with a deadline.
func (tt *tinit) line() string {
	tt.t.Helper()
	ch := make(chan string, 1)
	go func() {
		s, _ := tt.stdout.ReadString('\n')
		ch <- strings.TrimSuffix(s, "\n")
	}()
	select {
	case s := <-ch:
		return s
	case <-time.After(20 * time.Second):
		tt.t.Fatalf("no output after 20s; stderr:\n%s", tt.stderr.String())
		return ""
	}
}

// wait waits for tinit to exit, with a deadline, and returns its code and
// the rest of the child's output.
func (tt *tinit) wait() (int, string) {
	tt.t.Helper()
	rest, _ := io.ReadAll(tt.stdout)
	done := make(chan error, 1)
	go func() { done <- tt.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		tt.cmd.Process.Kill()
		tt.t.Fatalf("tinit did not exit within 30s; stderr:\n%s", tt.stderr.String())
	}
	return tt.cmd.ProcessState.ExitCode(), string(rest)
}

// signal sends sig to tinit.
func (tt *tinit) signal(sig syscall.Signal) {
	tt.t.Helper()
	if err := tt.cmd.Process.Signal(sig); err != nil {
		tt.t.Fatal(err)
	}
}

// runTinit runs tinit to the end and returns its exit code, the child's
// output and tinit's own.
func runTinit(t *testing.T, pid1 bool, args ...string) (int, string, string) {
	t.Helper()
	tt := start(t, pid1, args...)
	tt.run()
	code, out := tt.wait()
	return code, out, tt.stderr.String()
}

// helper is the command line of a helper, to put after "--".
func helper(name string, args ...string) []string {
	return append([]string{filepath.Join(filepath.Dir(helperPath), "helper-"+name)}, args...)
}

// both runs f as a subreaper and as PID 1 of a new PID namespace.
func both(t *testing.T, f func(t *testing.T, pid1 bool)) {
	t.Run("subreaper", func(t *testing.T) { f(t, false) })
	t.Run("pid1", func(t *testing.T) { f(t, true) })
}

// processGone waits, with a deadline, until pid no longer exists (or is a
// zombie).
func processGone(t *testing.T, pid int) bool {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if f := statFields(pid); f == nil || f[0] == "Z" {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

// statFields returns the fields of /proc/PID/stat after the command name
// (state, ppid, ... as proc(5) numbers them from 3); nil when pid is gone.
func statFields(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	s := string(b)
	return strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
}
