package reaper

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/tinit/tinit/internal/leaktest"
	"github.com/tinit/tinit/internal/testhelper"
)

// The test binary doubles as every helper program the tests need
// (internal/testhelper).
func TestMain(m *testing.M) {
	helpers.RunIfHelper()
	if os.Getpid() == 1 {
		mountPrivateProc()
	}
	os.Exit(runTests(m))
}

// helperPath is a copy of the test binary that every user may execute:
// tests start it with other credentials.
var helperPath string

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "reaper-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	if helperPath, err = helpers.Install(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if err := refuseFromEnv(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return m.Run()
}

var helpers = testhelper.Helpers{
	"exit":      testhelper.Exit,
	"kill-self": testhelper.KillSelf,
	"status":    helperStatus,
	"fds":       helperFDs,
	"env":       testhelper.PrintEnv,
	"sleep":     func([]string) int { return testhelper.SleepForever() },
	// killable: SIGUSR1 and SIGUSR2 end it, once it has printed "ready".
	"killable": func([]string) int {
		testhelper.DefaultAction(syscall.SIGUSR1, syscall.SIGUSR2)
		fmt.Println("ready")
		return testhelper.SleepForever()
	},
	"pwd": func([]string) int {
		d, _ := os.Getwd()
		fmt.Println(d)
		return 0
	},
	"storm":                 helperStorm,
	"autokill-parent":       helperAutokillParent,
	"group":                 helperGroup,
	"leader-exit":           helperLeaderExit,
	"autoreap-grandchild":   helperAutoreapGrandchild,
	"autokill-unprivileged": helperAutokillUnprivileged,
	"spawn-grandchild":      helperSpawnGrandchild,
}

// helperStatus prints what the tests check about the child's identity and
// state, one key=value per line.
func helperStatus([]string) int {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 98
	}
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		switch k {
		case "NoNewPrivs", "Uid", "Gid", "Groups", "SigIgn", "SigBlk", "Umask":
			if ok {
				fmt.Printf("%s=%s\n", k, strings.Join(strings.Fields(v), " "))
			}
		}
	}
	pgid, _ := syscall.Getpgid(0)
	sid, _, _ := syscall.RawSyscall(syscall.SYS_GETSID, 0, 0, 0)
	fmt.Printf("pid=%d\npgid=%d\nsid=%d\nppid=%d\n", os.Getpid(), pgid, sid, os.Getppid())
	// Not RLIMIT_NOFILE: the Go runtime raises it at start.
	var rl syscall.Rlimit
	syscall.Getrlimit(unix.RLIMIT_CORE, &rl)
	fmt.Printf("core=%d:%d\n", rl.Cur, rl.Max)
	return 0
}

// helperFDs prints the fds the child inherited across execve, as
// "fd:target" words: those without FD_CLOEXEC. (The Go runtime's own fds
// are close-on-exec; it opens /dev/null for a closed fd 0, 1 or 2, which
// the tests tell apart by never passing /dev/null themselves.)
func helperFDs([]string) int {
	names, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 98
	}
	var fds []int
	for _, n := range names {
		fd, _ := strconv.Atoi(n.Name())
		if flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err == nil && flags&unix.FD_CLOEXEC == 0 {
			fds = append(fds, fd)
		}
	}
	sort.Ints(fds)
	var words []string
	for _, fd := range fds {
		target, _ := os.Readlink("/proc/self/fd/" + strconv.Itoa(fd))
		words = append(words, strconv.Itoa(fd)+":"+target)
	}
	fmt.Println(strings.Join(words, " "))
	return 0
}

// helperSpawnGrandchild starts a sleeping grandchild with os/exec (fine
// here: this is not the process with the reaper), prints its pid and
// exits, orphaning it.
func helperSpawnGrandchild([]string) int {
	cmd := &exec.Cmd{Path: "/proc/self/exe", Args: []string{"helper-sleep"}}
	if err := cmd.Start(); err != nil {
		return 97
	}
	fmt.Println(cmd.Process.Pid)
	return 0
}

// helperPathOf is the helper binary as seen from inside a helper.
func helperPathOf() string { return "/proc/self/exe" }

func signalIgnore(s syscall.Signal) { signal.Ignore(s) }
func signalReset(s syscall.Signal)  { signal.Reset(s) }

// self is the test binary, which tests start as their helper.
func self(t testing.TB) string { return helperPath }

// helperSpec is a Spec that runs helper name with args.
func helperSpec(t testing.TB, name string, args ...string) *Spec {
	return &Spec{
		Path: self(t),
		Args: append([]string{"helper-" + name}, args...),
	}
}

// newTestReaper starts a Reaper for one test and checks at the end that no
// fd leaked and no child is left.
func newTestReaper(t *testing.T, opts Options) *Reaper {
	t.Helper()
	leaktest.Check(t)
	r, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		waitNoChildren(t)
		r.Close()
	})
	return r
}

// waitNoChildren waits, with a deadline, until this process has no child
// left, living or zombie.
func waitNoChildren(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		left := leaktest.Children()
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("children left behind: %v", left)
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// run starts spec, waits for it with a deadline and returns its exit.
func run(t *testing.T, r *Reaper, spec *Spec) Exit {
	t.Helper()
	p, err := r.Start(spec)
	if err != nil {
		t.Fatalf("Start %v: %v", spec.Args, err)
	}
	defer p.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	e, err := p.Wait(ctx)
	if err != nil {
		t.Fatalf("Wait %v: %v", spec.Args, err)
	}
	return e
}

// output runs spec with stdout on a pipe and returns what it printed.
func output(t *testing.T, r *Reaper, spec *Spec) (string, Exit) {
	t.Helper()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	spec.Stdout = pw
	p, err := r.Start(spec)
	pw.Close()
	if err != nil {
		t.Fatalf("Start %v: %v", spec.Args, err)
	}
	defer p.Close()
	var b strings.Builder
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		b.WriteString(sc.Text() + "\n")
	}
	e, err := p.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return b.String(), e
}

// keyValues parses helperStatus output.
func keyValues(s string) map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(s, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			m[k] = v
		}
	}
	return m
}

// asPID1 runs the calling test again as PID 1 of a new PID namespace and
// reports false; in that re-run it reports true and the test goes on.
func asPID1(t *testing.T) bool {
	t.Helper()
	if os.Getpid() == 1 {
		return true
	}
	if os.Getuid() != 0 {
		t.Fatalf("%s needs root (a new PID namespace)", t.Name())
	}
	// The re-run ends before this test's deadline, so that its output
	// is shown when it hangs.
	timeout := 5 * time.Minute
	if d, ok := t.Deadline(); ok {
		timeout = time.Until(d) - 5*time.Second
	}
	args := []string{"-test.run=^" + regexp.QuoteMeta(t.Name()) + "$", "-test.v", "-test.count=1",
		"-test.timeout=" + timeout.String(), "-test.short=" + strconv.FormatBool(testing.Short())}
	cmd := exec.Command("/proc/self/exe", args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWPID | syscall.CLONE_NEWNS, Pdeathsig: syscall.SIGKILL}
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: "+t.Name()) {
		t.Fatalf("as PID 1 of a new PID namespace: %v\n%s", err, out)
	}
	t.Logf("as PID 1 of a new PID namespace:\n%s", out)
	return false
}

// mountPrivateProc gives a PID-1 test run a /proc of its own namespace.
func mountPrivateProc() {
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		fmt.Fprintln(os.Stderr, "make / private:", err)
		os.Exit(2)
	}
	if err := unix.Mount("proc", "/proc", "proc", unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, ""); err != nil {
		fmt.Fprintln(os.Stderr, "mount /proc:", err)
		os.Exit(2)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func writeFile(t testing.TB, name, data string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), mode); err != nil {
		t.Fatal(err)
	}
}

// startSleeper starts a helper that sleeps until it is signalled, and
// closes its Process when the test ends.
func startSleeper(t *testing.T, r *Reaper) *Process {
	t.Helper()
	p, err := r.Start(helperSpec(t, "sleep"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}
