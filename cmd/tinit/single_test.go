package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/tinit/tinit/internal/testhelper"
)

func TestExitCodes(t *testing.T) {
	both(t, func(t *testing.T, pid1 bool) {
		for _, code := range []int{0, 1, 2, 42, 126, 127, 128, 255} {
			got, _, stderr := runTinit(t, pid1, append([]string{"--"}, helper("exit", itoa(code))...)...)
			if got != code {
				t.Errorf("child exits %d: tinit exited %d (stderr %q)", code, got, stderr)
			}
			if stderr != "" {
				t.Errorf("normal run printed %q", stderr)
			}
		}
		for _, sig := range []int{int(syscall.SIGTERM), int(syscall.SIGKILL), int(syscall.SIGSEGV)} {
			if got, _, _ := runTinit(t, pid1, helper("kill-self", itoa(sig))...); got != 128+sig {
				t.Errorf("child killed by signal %d: tinit exited %d, want %d", sig, got, 128+sig)
			}
		}
	})
}

func TestStartFailures(t *testing.T) {
	dir := t.TempDir()
	notExec := filepath.Join(dir, "not-executable")
	os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o644)
	tests := []struct {
		name    string
		command string
		code    int
		message string
	}{
		{"missing path", filepath.Join(dir, "missing"), 127, "missing: command not found"},
		{"missing in PATH", "no-such-program-anywhere", 127, "no-such-program-anywhere: command not found"},
		{"not executable", notExec, 126, "not-executable: cannot execute: permission denied"},
		{"directory", dir, 126, "cannot execute"},
		{"empty name", "", 127, ": command not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runTinit(t, false, "--", tt.command)
			if code != tt.code || !strings.Contains(stderr, tt.message) || !strings.HasPrefix(stderr, "tinit: ") {
				t.Errorf("got %d %q, want %d and a message with %q", code, stderr, tt.code, tt.message)
			}
		})
	}
}

// TestScriptWithoutShebang: a script without a #! line, which the
// kernel refuses (ENOEXEC), runs through /bin/sh as execvp runs it under
// tini, dumb-init and catatonit: /bin/sh PATH ARGS..., found in PATH or
// not. A service of a configuration file does not: systemd runs none.
func TestScriptWithoutShebang(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "script")
	os.WriteFile(script, []byte("echo \"$0 $*\"\nexit 7\n"), 0o755)
	both(t, func(t *testing.T, pid1 bool) {
		for _, command := range []string{script, "script"} {
			tt := start(t, pid1, "--", command, "a", "b c")
			tt.cmd.Env = append(tt.cmd.Env, "PATH="+dir+":/usr/bin:/bin") // the last PATH wins in os/exec
			tt.run()
			if code, out := tt.wait(); code != 7 || out != script+" a b c\n" {
				t.Errorf("tinit -- %s a 'b c': exit code %d, script printed %q, tinit %q; want 7 and %q",
					command, code, out, tt.stderr.String(), script+" a b c\n")
			}
		}
	})
	cfg := writeConfig(t, "[service.s]\ncommand = [\""+script+"\"]\nmain = true\n")
	if code, _, stderr := runTinit(t, false, "--config", cfg); code != exitNotExecutable || !strings.Contains(stderr, "exec format error") {
		t.Errorf("service without #!: exit code %d, stderr %q; want %d and exec format error", code, stderr, exitNotExecutable)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"-e"},
		{"-e", "256", "--", "true"},
		{"-p", "SIGNOPE", "true"},
		{"--grace", "soon", "true"},
		{"--rewrite", "15", "true"},
		{"--frobnicate", "true"},
		{"-x", "true"},
		{"--config", "a.toml", "--", "true"},
	} {
		code, _, stderr := runTinit(t, false, args...)
		if code != exitUsage || !strings.HasPrefix(stderr, "tinit: ") || !strings.Contains(stderr, "tinit --help") {
			t.Errorf("tinit %q: got %d %q, want %d and a message", args, code, stderr, exitUsage)
		}
	}
	tt := start(t, false, helper("exit", "0")...)
	tt.cmd.Env = append(tt.cmd.Env, envFeatures+"=autoreap,bogus")
	tt.run()
	if code, _ := tt.wait(); code != exitUsage || !strings.Contains(tt.stderr.String(), envFeatures) {
		t.Errorf("%s=autoreap,bogus: got %d %q, want %d and a message naming it", envFeatures, code, tt.stderr.String(), exitUsage)
	}
}

// TestDisableFeatures: TINIT_DISABLE_FEATURES makes tinit run without
// what it names, as the probe line at -v says.
func TestDisableFeatures(t *testing.T) {
	tt := start(t, false, append([]string{"-v", "--"}, helper("exit", "0")...)...)
	tt.cmd.Env = append(tt.cmd.Env, envFeatures+"=clear_sighand")
	tt.run()
	if code, _ := tt.wait(); code != 0 || !strings.Contains(tt.stderr.String(), "no clear_sighand (disabled") {
		t.Errorf("%s=clear_sighand: exit code %d, stderr %q; want 0 and the feature named as disabled", envFeatures, code, tt.stderr.String())
	}
}

// startRefused is start with tinit under the seccomp filter
// testhelper.Refusals[mode]. As PID 1, the filter comes after the mount
// of /proc, right before tinit: this test binary makes its threads with
// glibc, which a refused clone3 can break.
func startRefused(t *testing.T, pid1 bool, mode string, args ...string) *tinit {
	tt := start(t, pid1, args...)
	refused := []string{filepath.Join(filepath.Dir(helperPath), "helper-refused"), mode}
	if pid1 { // helper-pid1-exec tinit args...
		tt.cmd.Args = slices.Insert(tt.cmd.Args, 1, refused...)
	} else { // tinit args...
		tt.cmd.Path = helperPath
		tt.cmd.Args = append(refused, tt.cmd.Args...)
	}
	return tt
}

// TestClone3Refused: in a container whose seccomp profile refuses clone3
// (Docker's before 20.10.10 with EPERM, later ones with ENOSYS), tinit
// falls back to clone(2) and runs as usual; the probe line says why. The
// command is sh, which starts no thread: glibc's pthread_create does not
// fall back to clone(2) on EPERM.
func TestClone3Refused(t *testing.T) {
	for _, tc := range []struct{ mode, why string }{
		{"clone3-eperm", "operation not permitted"},
		{"clone3-enosys", "function not implemented"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			both(t, func(t *testing.T, pid1 bool) {
				tt := startRefused(t, pid1, tc.mode, "-v", "--", "/bin/sh", "-c", "exit 7")
				tt.run()
				code, _ := tt.wait()
				if code != 7 || !strings.Contains(tt.stderr.String(), "no clone3 (clone3: "+tc.why) {
					t.Errorf("exit code %d, stderr %q; want 7 and the probe line saying %q", code, tt.stderr.String(), tc.why)
				}
			})
		})
	}
}

// TestNoPidfdRefused: where no child with a pidfd can be made, or none
// waited for through it (a kernel before 5.4), tinit says what it needs
// and exits 1, starting nothing.
func TestNoPidfdRefused(t *testing.T) {
	for _, mode := range []string{"no-pidfd", "no-waitid-pidfd"} {
		t.Run(mode, func(t *testing.T) {
			both(t, func(t *testing.T, pid1 bool) {
				tt := startRefused(t, pid1, mode, "--", "/bin/sh", "-c", "exit 7")
				tt.run()
				code, _ := tt.wait()
				if code != exitFailure || !strings.Contains(tt.stderr.String(), "needs Linux 5.4 or later") {
					t.Errorf("exit code %d, stderr %q; want %d (the command not run) and what tinit needs",
						code, tt.stderr.String(), exitFailure)
				}
			})
		})
	}
}

func TestHelpDocumentsEveryOption(t *testing.T) {
	code, out, _ := runTinit(t, false, "--help")
	if code != 0 {
		t.Fatalf("--help exited %d", code)
	}
	// Each option starts a line of the list: "-g" inside "--grace" or
	// "-v" inside "--version" does not count.
	for _, opt := range []string{"-g", "-e CODE", "-p SIGNAL", "-w", "-v, --verbose", "-s", "--rewrite S:R", "--grace D",
		"--exit-at-once", "-c, --config FILE", "-h, --help", "--version"} {
		if !regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(opt) + `\s`).MatchString(out) {
			t.Errorf("--help does not document %q at the start of a line", opt)
		}
	}
	for _, want := range []string{envGroup, tiniGroup, envVerbosity, tiniVerbosity, envSubreaper, envRemap, envPdeathsig,
		envWarnReap, envRewrite, envGrace, envExitAtOnce, envFeatures, "126", "127", "128+N"} {
		if !strings.Contains(out, want) {
			t.Errorf("--help does not document %q", want)
		}
	}
}

func TestVersionPrintsProbe(t *testing.T) {
	code, out, _ := runTinit(t, false, "--version")
	if code != 0 || !strings.Contains(out, "tinit ") || !strings.Contains(out, "tier ") {
		t.Errorf("--version: %d %q", code, out)
	}
}

func TestVerbosity(t *testing.T) {
	_, _, quiet := runTinit(t, false, helper("exit", "0")...)
	if quiet != "" {
		t.Errorf("default verbosity printed %q", quiet)
	}
	_, _, verbose := runTinit(t, false, append([]string{"-v", "--"}, helper("exit", "3")...)...)
	if !strings.Contains(verbose, "tinit: linux ") || !strings.Contains(verbose, "tier ") {
		t.Errorf("-v did not print the probe line: %q", verbose)
	}
	if !strings.Contains(verbose, "-> ready") || !strings.Contains(verbose, "exit code 3") {
		t.Errorf("-v did not print the child's start and end: %q", verbose)
	}
	if strings.Contains(verbose, "reaped orphan") || strings.Contains(verbose, "forwarded") {
		t.Errorf("-v printed what -vv prints: %q", verbose)
	}
	_, _, vv := runTinit(t, false, append([]string{"-vv", "--grace", "0s", "--"}, helper("spawn", "0", "exit", "0")...)...)
	if !strings.Contains(vv, "reaped orphan") {
		t.Errorf("-vv did not print the reaped orphan: %q", vv)
	}
	tt := start(t, false, append([]string{"-vv", "--"}, helper("signals")...)...)
	tt.run()
	tt.line()
	tt.signal(syscall.SIGUSR1)
	tt.line()
	tt.signal(syscall.SIGTERM)
	tt.wait()
	if !strings.Contains(tt.stderr.String(), "forwarded SIGUSR1") {
		t.Errorf("-vv did not print the forwarded signal: %q", tt.stderr.String())
	}
}

// TestVerboseLogsForwardedAtOnce: at -vv a forwarded signal is logged
// when it comes, not with the next event (below -vv the handler leaves
// the Go side asleep for it: reaper.Options.DeferForwarded).
func TestVerboseLogsForwardedAtOnce(t *testing.T) {
	tt := start(t, false, append([]string{"-vv", "--"}, helper("signals")...)...)
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	tt.cmd.Stderr = pw
	tt.run()
	pw.Close()
	logged := make(chan string, 64)
	go func() {
		defer close(logged)
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			logged <- sc.Text()
		}
	}()
	if tt.line() != "ready" {
		t.Fatal("helper not ready")
	}
	tt.forward(syscall.SIGUSR1)
	deadline := time.After(10 * time.Second)
	for found := false; !found; {
		select {
		case line := <-logged:
			found = strings.Contains(line, "forwarded SIGUSR1")
		case <-deadline:
			t.Fatal("no \"forwarded SIGUSR1\" logged while the child runs on")
		}
	}
	tt.signal(syscall.SIGTERM)
	tt.wait()
}

// TestSignalsForwarded sends tinit every signal it forwards, and the
// child must see each.
func TestSignalsForwarded(t *testing.T) {
	both(t, func(t *testing.T, pid1 bool) {
		tt := start(t, pid1, helper("signals")...)
		tt.run()
		if tt.line() != "ready" {
			t.Fatal("helper not ready")
		}
		for _, sig := range forwardedSignals() {
			// SIGTERM ends the helper; SIGPROF is the Go runtime's and
			// cannot be observed through os/signal in the helper, nor
			// can 34, which the Go runtime leaves at its default action
			// (TestSignal34).
			if sig == syscall.SIGTERM || sig == syscall.SIGPROF || sig == 34 {
				continue
			}
			tt.forward(sig)
		}
		tt.stopSignals()
	})
}

// TestMainThreadWaitsForSignals: tinit's main thread, the one the
// kernel offers a signal to first, waits for the signals in
// rt_sigtimedwait (reaper.ServeSignals) before a forward and after it.
func TestMainThreadWaitsForSignals(t *testing.T) {
	both(t, func(t *testing.T, pid1 bool) {
		tt := start(t, pid1, helper("signals")...)
		tt.run()
		if tt.line() != "ready" {
			t.Fatal("helper not ready")
		}
		pid := tt.cmd.Process.Pid
		if err := testhelper.WaitsInRtSigtimedwait(pid); err != nil {
			t.Fatal(err)
		}
		tt.forward(syscall.SIGUSR1)
		if err := testhelper.WaitsInRtSigtimedwait(pid); err != nil {
			t.Fatal(err)
		}
		tt.stopSignals()
	})
}

// TestSignal34: signal 34, glibc's SIGRTMIN, is forwarded as tini
// forwards it: it ends the child (sleep, at its default action), and
// tinit exits 128+34. (Were it not forwarded, the child would end on its
// own after a while.)
func TestSignal34(t *testing.T) {
	sh := lookPathT(t, "sh")
	both(t, func(t *testing.T, pid1 bool) {
		tt := start(t, pid1, "--", sh, "-c", "echo ready; exec sleep 20")
		tt.run()
		if tt.line() != "ready" {
			t.Fatal("child not ready")
		}
		tt.signal(34)
		if code, _ := tt.wait(); code != 128+34 {
			t.Errorf("sent tinit signal 34: tinit exited %d, want %d; stderr %q", code, 128+34, tt.stderr.String())
		}
	})
}

// forward sends tinit sig and checks that the "signals" helper saw it.
func (tt *tinit) forward(sig syscall.Signal) {
	tt.t.Helper()
	tt.signal(sig)
	if got := tt.line(); got != unix.SignalName(sig) {
		tt.t.Errorf("sent %v, child got %q", unix.SignalName(sig), got)
	}
}

// stopSignals ends the "signals" helper with SIGTERM, forwarded; tinit
// must then exit 0.
func (tt *tinit) stopSignals() {
	tt.t.Helper()
	tt.forward(syscall.SIGTERM)
	if code, _ := tt.wait(); code != 0 {
		tt.t.Errorf("tinit exited %d, want 0", code)
	}
}

// TestSignalsForwardedWhenBlocked: tinit started with signals blocked,
// a mask that the threads the Go runtime makes inherit, still forwards
// them (reaper.Options.Signals says which thread catches them).
func TestSignalsForwardedWhenBlocked(t *testing.T) {
	tt := start(t, false, helper("signals")...)
	tt.cmd.Path = helperPath
	tt.cmd.Args = append([]string{"helper-blocked-exec"}, tt.cmd.Args...)
	tt.run()
	if tt.line() != "ready" {
		t.Fatal("helper not ready")
	}
	// Threads the runtime made after start inherited the mask; the
	// main thread's own is the runtime's to change.
	pid := tt.cmd.Process.Pid
	statuses, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/status", pid))
	statuses = slices.DeleteFunc(statuses, func(f string) bool { return f == fmt.Sprintf("/proc/%d/task/%d/status", pid, pid) })
	if len(statuses) == 0 {
		t.Fatalf("tinit %d has no thread but the main one", pid)
	}
	status, err := os.ReadFile(statuses[0])
	if err != nil {
		t.Fatal(err)
	}
	blocked, err := strconv.ParseUint(testhelper.StatusField(string(status), "SigBlk"), 16, 64)
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range blockedBySender {
		if blocked&(1<<(sig-1)) == 0 {
			t.Errorf("tinit's thread does not block %v (SigBlk %x): the test proves nothing", unix.SignalName(sig), blocked)
		}
		tt.forward(sig)
	}
	tt.stopSignals()
}

// TestSignalPendingAtStart: a signal pending when tinit starts (its
// parent blocked and raised it) is taken before the child exists and
// reaches the child once it runs, as under tini, which blocks its
// signals first and forwards the pending ones once it has a child.
func TestSignalPendingAtStart(t *testing.T) {
	tt := start(t, false, helper("signals")...)
	tt.cmd.Path = helperPath
	tt.cmd.Args = append([]string{"helper-blocked-exec", "-pending=" + strconv.Itoa(int(syscall.SIGUSR1))}, tt.cmd.Args...)
	tt.run()
	if got := tt.line(); got != "ready" {
		t.Fatalf("child said %q, want ready", got)
	}
	if got := tt.line(); got != "SIGUSR1" {
		t.Fatalf("child said %q, want SIGUSR1, pending when tinit started", got)
	}
	tt.stopSignals()
}

// TestSignalStormForwardedOnce: a storm of one real-time signal, which
// the kernel queues rather than merges, reaches the child exactly as many
// times as it was sent, whether tinit's main thread took each (in
// rt_sigtimedwait) or, while it was busy forwarding, a signal handler did.
// tinit starts with the signal blocked, so that the child (which counts
// with rt_sigtimedwait) inherits it blocked. The storm stays well inside
// RLIMIT_SIGPENDING, which counts the signals queued to all of root's
// processes (tinit's and the child's alike): the kernel refuses more.
func TestSignalStormForwardedOnce(t *testing.T) {
	const sig = 40
	n := 2000
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_SIGPENDING, &lim); err != nil {
		t.Fatal(err)
	}
	if n = min(n, int(lim.Cur/4)); n < 100 {
		t.Fatalf("RLIMIT_SIGPENDING is %d: no room for a storm", lim.Cur)
	}
	tt := start(t, false, helper("count-signals", itoa(sig), itoa(n))...)
	tt.cmd.Path = helperPath
	tt.cmd.Args = append([]string{"helper-blocked-exec", "-also=" + itoa(sig)}, tt.cmd.Args...)
	tt.run()
	if line := tt.line(); line != "ready" {
		t.Fatalf("helper said %q, want ready; stderr %q", line, tt.stderr.String())
	}
	for range n {
		tt.signal(sig)
	}
	if line := tt.line(); line != itoa(n) {
		t.Fatalf("child counted %s of the %d signals sent, first", line, n)
	}
	if line := tt.line(); line != "exact" {
		t.Fatalf("child counted %s of the %d signals sent: some were forwarded twice", line, n)
	}
	if code, _ := tt.wait(); code != 0 {
		t.Errorf("tinit exited %d, want 0; stderr %q", code, tt.stderr.String())
	}
}

// TestSignalsNotForwarded: SIGTTIN and SIGTTOU never stop tinit; SIGTSTP
// is forwarded (it stops the child, not tinit).
func TestSignalsNotForwarded(t *testing.T) {
	tt := start(t, false, helper("signals")...)
	tt.run()
	tt.line()
	for _, sig := range []syscall.Signal{syscall.SIGTTIN, syscall.SIGTTOU, syscall.SIGTSTP} {
		tt.signal(sig)
	}
	if got := tt.line(); got != "SIGTSTP" {
		t.Errorf("child got %q, want SIGTSTP alone", got)
	}
	if state := procState(tt.cmd.Process.Pid); state == "T" {
		t.Errorf("tinit is stopped")
	}
	tt.signal(syscall.SIGTERM)
	tt.line()
	tt.wait()
}

// TestSynchronousSignalsByKill: a synchronous signal sent with kill
// neither kills tinit (the Go runtime would take it for a fault) nor
// reaches the child; the kernel spares tini, as PID 1, the same way.
func TestSynchronousSignalsByKill(t *testing.T) {
	sh := lookPathT(t, "sh")
	both(t, func(t *testing.T, pid1 bool) {
		for _, sig := range []string{"SEGV", "BUS", "FPE", "ILL", "TRAP", "SYS"} {
			code, out, stderr := runTinit(t, pid1, "--", sh, "-c", "kill -"+sig+" $PPID; sleep .3; echo child-alive")
			if code != 0 || out != "child-alive\n" {
				first, _, _ := strings.Cut(stderr, "\n") // not a whole traceback
				t.Errorf("kill -%s tinit: exit code %d, child printed %q, tinit %q; want 0 and child-alive", sig, code, out, first)
			}
		}
	})
}

func procState(pid int) string {
	if f := statFields(pid); f != nil {
		return f[0]
	}
	return ""
}

func TestRewrite(t *testing.T) {
	tt := start(t, false, append([]string{"--rewrite", "USR1:USR2,HUP:0", "--"}, helper("signals")...)...)
	tt.run()
	tt.line()
	tt.signal(syscall.SIGHUP)
	tt.signal(syscall.SIGUSR1)
	if got := tt.line(); got != "SIGUSR2" {
		t.Errorf("USR1 rewritten to USR2, HUP dropped: child got %q first", got)
	}
	tt.signal(syscall.SIGTERM)
	tt.line()
	tt.wait()
}

// TestGroupSignals: with -g a signal reaches the child's whole process
// group, without only the child.
func TestGroupSignals(t *testing.T) {
	for _, g := range []bool{false, true} {
		args := []string{"--"}
		if g {
			args = []string{"-g", "--"}
		}
		tt := start(t, false, append(args, helper("pair")...)...)
		tt.run()
		for ready := 0; ready < 2; {
			if strings.HasSuffix(tt.line(), " ready") {
				ready++
			}
		}
		tt.signal(syscall.SIGUSR1)
		// Both of the group print it, in either order, before SIGTERM
		// follows: a SIGTERM sent after the first line could end the
		// other before it printed its SIGUSR1.
		var got []string
		for len(got) < 1 || g && len(got) < 2 {
			got = append(got, tt.line())
		}
		tt.signal(syscall.SIGTERM)
		_, rest := tt.wait()
		out := strings.Join(got, "\n") + "\n" + rest
		if !strings.Contains(out, "leader SIGUSR1") {
			t.Errorf("-g=%v: the child did not get SIGUSR1: %q", g, out)
		}
		if got := strings.Contains(out, "member SIGUSR1"); got != g {
			t.Errorf("-g=%v: the group member got SIGUSR1: %v (output %q)", g, got, out)
		}
	}
}

// TestRemapExit: -e and TINIT_REMAP_EXIT report the listed codes as 0,
// the 127 and 126 of a program that does not start too (tini's child
// exits with them), whose message still names the program.
func TestRemapExit(t *testing.T) {
	dir := t.TempDir()
	missing, notExec := filepath.Join(dir, "missing"), filepath.Join(dir, "not-executable")
	os.WriteFile(notExec, []byte("#!/bin/sh\n"), 0o644)
	for _, tc := range []struct {
		args    []string
		env     string
		command []string
		want    int
		says    string // in tinit's message
	}{
		{[]string{"-e", "143"}, "", helper("exit", "143"), 0, ""},
		{[]string{"-e", "143", "-e", "3"}, "", helper("exit", "3"), 0, ""},
		{[]string{"-e", "143"}, "", helper("exit", "4"), 4, ""},
		{nil, envRemap + "=7,9", helper("exit", "9"), 0, ""},
		{[]string{"-e", "127"}, "", []string{missing}, 0, "missing: command not found"},
		{nil, envRemap + "=127", []string{missing}, 0, "missing: command not found"},
		{[]string{"-e", "126"}, "", []string{notExec}, 0, "not-executable: cannot execute"},
		{[]string{"-e", "126"}, "", []string{missing}, 127, "missing: command not found"},
	} {
		tt := start(t, false, append(append(tc.args, "--"), tc.command...)...)
		if tc.env != "" {
			tt.cmd.Env = append(tt.cmd.Env, tc.env)
		}
		tt.run()
		if got, _ := tt.wait(); got != tc.want || !strings.Contains(tt.stderr.String(), tc.says) {
			t.Errorf("%v %s, command %s: got %d %q, want %d and a message with %q",
				tc.args, tc.env, filepath.Base(tc.command[0]), got, tt.stderr.String(), tc.want, tc.says)
		}
	}
}

// TestChildInheritsTinitsWorld: environment (exactly, duplicates and all),
// working directory, inherited fds at their numbers, LISTEN_PID.
func TestChildInheritsTinitsWorld(t *testing.T) {
	both(t, func(t *testing.T, pid1 bool) {
		// os/exec drops duplicate variables: start tinit with the raw
		// system call to give it some.
		env := []string{"PATH=/usr/bin:/bin", "A=1", "B=2", "A=dup", "EMPTY="}
		if got := rawRun(t, pid1, env, helper("env")...); !slices.Equal(strings.Split(strings.TrimSpace(got), "\n"), env) {
			t.Errorf("child environment %q, want %q", got, env)
		}

		dir := t.TempDir()
		tt := start(t, pid1, helper("status")...)
		tt.cmd.Dir = dir
		tt.run()
		if _, out := tt.wait(); !strings.Contains(out, "cwd="+dir+"\n") {
			t.Errorf("child status %q, want cwd=%s", out, dir)
		}

		f1, f2 := tempFile(t), tempFile(t)
		tt = start(t, pid1, helper("fds")...)
		tt.cmd.ExtraFiles = []*os.File{f1, nil, f2}
		tt.run()
		if _, out := tt.wait(); strings.TrimSpace(out) != inheritedAnd("0 1 2 3 5") {
			t.Errorf("child inherited fds %q, want %s", strings.TrimSpace(out), inheritedAnd("0 1 2 3 5"))
		}

		tt = start(t, pid1, helper("env")...)
		tt.cmd.Env = append(tt.cmd.Env, "LISTEN_FDS=1", "LISTEN_PID=12345")
		tt.cmd.ExtraFiles = []*os.File{f1}
		tt.run()
		_, out := tt.wait()
		var listenPid string
		for _, kv := range strings.Split(out, "\n") {
			if v, ok := strings.CutPrefix(kv, "LISTEN_PID="); ok {
				listenPid = v
			}
		}
		if listenPid == "" || listenPid == "12345" || listenPid == strconv.Itoa(tt.cmd.Process.Pid) {
			t.Errorf("LISTEN_PID in the child is %q, want the child's own pid", listenPid)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

// inheritedAnd adds to fds the ones this test process has without
// close-on-exec (from whatever started it): tinit gets them, and hands them
// on as tini does.
func inheritedAnd(fds string) string {
	set := map[int]bool{}
	for _, f := range strings.Fields(fds) {
		n, _ := strconv.Atoi(f)
		set[n] = true
	}
	for _, fd := range inheritedFiles() {
		if fd != nil {
			n, _ := strconv.Atoi(strings.TrimPrefix(fd.Name(), "inherited fd "))
			set[n] = true
		}
	}
	var all []int
	for n := range set {
		all = append(all, n)
	}
	slices.Sort(all)
	return strings.Trim(fmt.Sprint(all), "[]")
}

// rawRun runs tinit ARGS with exactly env through syscall.ForkExec and
// returns what its child printed.
func rawRun(t *testing.T, pid1 bool, env []string, args ...string) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	argv := append([]string{tinitPath}, args...)
	path := tinitPath
	sys := &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if pid1 {
		path, argv = helperPath, append([]string{"helper-pid1-exec"}, argv...)
		sys.Cloneflags = syscall.CLONE_NEWPID | syscall.CLONE_NEWNS
	}
	pid, err := syscall.ForkExec(path, argv, &syscall.ProcAttr{Env: env, Files: []uintptr{0, w.Fd(), 2}, Sys: sys})
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, _ := io.ReadAll(r)
	var ws syscall.WaitStatus
	syscall.Wait4(pid, &ws, 0, nil)
	return string(out)
}

func tempFile(t *testing.T) *os.File {
	f, err := os.CreateTemp(t.TempDir(), "fd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestShellState: umask, rlimits (RLIMIT_NOFILE, which the Go runtime
// raises in tinit) and ignored signals reach the child as tinit got them:
// the child reports the same with tinit in between as without.
func TestShellState(t *testing.T) {
	sh := lookPathT(t, "sh")
	report := `umask; ulimit -Sn; while read -r k v; do [ "$k" = SigIgn: ] && echo "$v"; done </proc/self/status; exit 0`
	run := func(between string) string {
		script := fmt.Sprintf(`umask 027; ulimit -Sn 1000; trap '' USR1 QUIT; exec %s %s -c '%s'`, between, sh, report)
		out, err := exec.Command(sh, "-c", script).CombinedOutput()
		if err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		return string(out)
	}
	direct, through := run(""), run(tinitPath+" --")
	if through != direct {
		t.Errorf("child of tinit reported %q, without tinit %q", through, direct)
	}
	lines := strings.Split(direct, "\n")
	ign, err := strconv.ParseUint(lines[len(lines)-2], 16, 64)
	if want := uint64(1)<<(syscall.SIGUSR1-1) | 1<<(syscall.SIGQUIT-1); err != nil || ign&want != want || !strings.HasPrefix(direct, "0027\n1000\n") {
		t.Errorf("the shell itself reported %q: the test does not set up what it checks", direct)
	}
}

// lookPathT finds a program in /usr/bin or /bin (the VM's guest has no
// PATH).
func lookPathT(t *testing.T, name string) string {
	for _, dir := range []string{"/usr/bin", "/bin"} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	t.Fatalf("%s is needed in /usr/bin or /bin", name)
	return ""
}

// TestStopsTheRest: after the child exits, what is left gets SIGTERM and
// tinit exits the moment it is gone, without waiting for the grace
// period; what ignores SIGTERM is killed after the grace period.
func TestStopsTheRest(t *testing.T) {
	both(t, func(t *testing.T, pid1 bool) {
		begin := time.Now()
		tt := start(t, pid1, append([]string{"--grace", "1h", "--"}, helper("spawn", "3", "sleep")...)...)
		tt.run()
		tt.line()
		if code, _ := tt.wait(); code != 3 {
			t.Errorf("tinit exited %d, want the child's 3", code)
		}
		if d := time.Since(begin); d > 20*time.Second {
			t.Errorf("tinit took %v to stop a process that dies on SIGTERM", d)
		}

		tt = start(t, pid1, append([]string{"--grace", "100ms", "--"}, helper("spawn", "4", "ignore-term")...)...)
		tt.run()
		grandchild, _ := strconv.Atoi(tt.line())
		if code, _ := tt.wait(); code != 4 {
			t.Errorf("tinit exited %d, want the child's 4", code)
		}
		if !pid1 && !processGone(t, grandchild) {
			t.Errorf("grandchild %d that ignores SIGTERM survived tinit", grandchild)
			unix.Kill(grandchild, syscall.SIGKILL)
		}
	})
}

// TestExitAtOnce: tini's behaviour, leaving the rest running.
func TestExitAtOnce(t *testing.T) {
	tt := start(t, false, append([]string{"--exit-at-once", "--"}, helper("spawn", "5", "sleep")...)...)
	tt.run()
	grandchild, _ := strconv.Atoi(tt.line())
	if code, _ := tt.wait(); code != 5 {
		t.Errorf("tinit exited %d, want 5", code)
	}
	defer unix.Kill(grandchild, syscall.SIGKILL)
	if err := unix.Kill(grandchild, 0); err != nil {
		t.Errorf("grandchild gone with --exit-at-once: %v", err)
	}
}

// TestWarnOnReap: -w prints each reaped orphan, a warning, which tini's
// TINI_VERBOSITY=0 silences (as does one that is no number: tini reads
// it with atoi).
func TestWarnOnReap(t *testing.T) {
	code, _, stderr := runTinit(t, false, append([]string{"-w", "-vv", "--grace", "0s", "--"}, helper("spawn", "0", "exit", "0")...)...)
	if code != 0 || !strings.Contains(stderr, "tinit: warning: reaped zombie process") {
		t.Errorf("-w: exit code %d, printed %q", code, stderr)
	}
	for _, v := range []string{"0", "quiet"} {
		tt := start(t, false, append([]string{"-w", "--grace", "0s", "--"}, helper("spawn", "0", "exit", "0")...)...)
		tt.cmd.Env = append(tt.cmd.Env, tiniVerbosity+"="+v)
		tt.run()
		if code, _ := tt.wait(); code != 0 || tt.stderr.String() != "" {
			t.Errorf("-w, %s=%s: exit code %d, printed %q; want 0 and nothing", tiniVerbosity, v, code, tt.stderr.String())
		}
	}
}

// TestParentDeathSignal: -p asks for a signal when tinit's parent dies;
// tinit forwards it to its child, and so ends with it.
func TestParentDeathSignal(t *testing.T) {
	file := filepath.Join(t.TempDir(), "signals")
	parent := exec.Command(helperPath)
	parent.Args = append([]string{"helper-start-tinit", file, tinitPath, "-p", "SIGTERM", "--"}, helper("signals", file)...)
	if out, err := parent.CombinedOutput(); err != nil {
		t.Fatalf("parent: %v %s", err, out)
	}
	if !waitFileContains(file, "ready\nSIGTERM\n", 10*time.Second) {
		b, _ := os.ReadFile(file)
		t.Errorf("child of tinit reported %q after tinit's parent died; want ready, SIGTERM", b)
	}
}

// TestOrphanStormAsPID1: the child leaves a storm of orphans behind, all
// reparented to tinit as PID 1; each is reaped (and reported, with -w).
func TestOrphanStormAsPID1(t *testing.T) {
	n := 2000
	if testing.Short() { // under emulation in the microVMs
		n = 300
	}
	sh := lookPathT(t, "sh")
	script := fmt.Sprintf("i=0; while [ $i -lt %d ]; do (/bin/true &); i=$((i+1)); done", n)
	code, _, stderr := runTinit(t, true, "-w", "--", sh, "-c", script)
	if code != 0 {
		t.Fatalf("tinit exited %d: %s", code, stderr)
	}
	if got := strings.Count(stderr, "tinit: warning: reaped zombie process"); got != n {
		t.Errorf("reaped %d orphans, want %d", got, n)
	}
}
