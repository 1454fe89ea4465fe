package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tinit/tinit/services"
)

// The tests of services mode run the real tinit binary with a
// configuration whose services are helpers of this test binary (see
// main_test.go).
func init() {
	for name, h := range map[string]func([]string) int{
		"svc-notify":    helperNotify,
		"svc-listen":    helperListen,
		"svc-print":     helperPrint,
		"svc-parent":    helperParent,
		"svc-daemonize": helperDaemonize,
		"svc-run":       func(args []string) int { fmt.Println("run", os.Getpid()); return 1 },
		"svc-connect":   helperConnect,
		"svc-file":      helperFile,
		"svc-cgroup":    helperCgroup,
	} {
		helpers[name] = func(args []string) int {
			signal.Notify(terms, syscall.SIGTERM, syscall.SIGINT)
			return h(args)
		}
	}
}

// helperNotify speaks sd_notify itself: STATUS, then READY=1 after
// args[0] (a duration), then waits for SIGTERM.
func helperNotify(args []string) int {
	d, _ := time.ParseDuration(args[0])
	notifySend("STATUS=warming up")
	time.Sleep(d)
	fmt.Println("notifying")
	if err := notifySend("READY=1\nSTATUS=serving"); err != nil {
		fmt.Println("notify:", err)
		return 1
	}
	return waitTerm("")
}

func notifySend(msg string) error {
	addr := os.Getenv("NOTIFY_SOCKET")
	if addr == "" {
		return fmt.Errorf("no NOTIFY_SOCKET")
	}
	if addr[0] == '@' {
		addr = "\x00" + addr[1:]
	}
	c, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: addr, Net: "unixgram"})
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.Write([]byte(msg))
	return err
}

// terms receives SIGTERM and SIGINT from the start of every helper of
// services mode, so that one stopped right after its first line still
// exits through waitTerm.
var terms = make(chan os.Signal, 1)

// waitTerm waits for SIGTERM or SIGINT, prints "TAG stopped" (if tag is
// set) and exits 0.
func waitTerm(tag string) int {
	<-terms
	if tag != "" {
		fmt.Println(tag + " stopped")
	}
	return 0
}

// helperListen listens on args[0] after args[1], prints "listening" and
// accepts connections until SIGTERM.
func helperListen(args []string) int {
	d, _ := time.ParseDuration(args[1])
	time.Sleep(d)
	l, err := net.Listen("tcp", args[0])
	if err != nil {
		fmt.Println("listen:", err)
		return 1
	}
	fmt.Println("listening")
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return waitTerm("")
}

// helperConnect prints whether args[0] accepts connections, says
// READY=1 once it did (when it is a notify service), then waits.
func helperConnect(args []string) int {
	c, err := net.Dial("tcp", args[0])
	if err != nil {
		fmt.Println("connect:", err)
		return 1
	}
	c.Close()
	fmt.Println("connected")
	if os.Getenv("NOTIFY_SOCKET") != "" {
		if err := notifySend("READY=1"); err != nil {
			fmt.Println("notify:", err)
		}
	}
	return waitTerm("")
}

// helperPrint prints args[0] " started", then args[0] " stopped" at
// SIGTERM.
func helperPrint(args []string) int {
	fmt.Println(args[0] + " started")
	return waitTerm(args[0])
}

// helperParent runs "svc-daemonize FILE" to its end (it leaves a daemon
// behind, in a session of its own), then prints "ready" and waits.
func helperParent(args []string) int {
	cmd := &exec.Cmd{Path: "/proc/self/exe", Args: []string{"helper-svc-daemonize", args[0]}}
	if err := cmd.Run(); err != nil {
		fmt.Println("daemonize:", err)
		return 1
	}
	fmt.Println("ready")
	return waitTerm("")
}

// helperDaemonize starts "helper-sleep" in a new session, writes its pid
// to args[0] and exits: the sleeper is orphaned.
func helperDaemonize(args []string) int {
	cmd := &exec.Cmd{Path: "/proc/self/exe", Args: []string{"helper-sleep"}, SysProcAttr: &syscall.SysProcAttr{Setsid: true}}
	if err := cmd.Start(); err != nil {
		return 97
	}
	os.WriteFile(args[0], []byte(strconv.Itoa(cmd.Process.Pid)), 0o644)
	return 0
}

// helperFile appends args[1] to file args[0] and exits 0.
func helperFile(args []string) int {
	f, err := os.OpenFile(args[0], os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return 1
	}
	defer f.Close()
	fmt.Fprintln(f, args[1])
	return 0
}

// helperCgroup prints its cgroup and the limits there, then waits.
func helperCgroup([]string) int {
	b, _ := os.ReadFile("/proc/self/cgroup")
	for _, line := range strings.Split(string(b), "\n") {
		path, ok := strings.CutPrefix(line, "0::")
		if !ok {
			continue
		}
		fmt.Println("cgroup " + path)
		for _, root := range []string{"/sys/fs/cgroup", "/sys/fs/cgroup/unified"} {
			for _, f := range []string{"memory.max", "pids.max"} {
				if v, err := os.ReadFile(filepath.Join(root, path, f)); err == nil {
					fmt.Println(f + " " + strings.TrimSpace(string(v)))
				}
			}
		}
	}
	fmt.Println("done")
	return waitTerm("")
}

// writeConfig writes a configuration to a file of the test; %HELPER%
// stands for the helpers' directory.
func writeConfig(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "services.toml")
	text = strings.ReplaceAll(text, "%HELPER%", filepath.Dir(helperPath))
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// serviceLine splits a console line "name  | text".
func serviceLine(line string) (name, text string) {
	name, text, _ = strings.Cut(line, " | ")
	return strings.TrimSpace(name), text
}

// lineOf reads lines until one of service says text (a prefix), and
// returns when it came.
func (tt *tinit) lineOf(service, text string) time.Time {
	tt.t.Helper()
	for {
		name, got := serviceLine(tt.line())
		if name == service && strings.HasPrefix(got, text) {
			return time.Now()
		}
	}
}

// freePort returns a local TCP address no one listens on.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestCheck(t *testing.T) {
	good := writeConfig(t, `
[service.setup]
type = "oneshot"
command = ["/bin/true"]
[service.web]
command = ["/bin/web"]
requires = ["setup"]
[service.cron]
command = ["/bin/cron"]
[service.client]
command = ["/bin/client"]
requires = ["web"]
main = true
`)
	code, out, stderr := runTinit(t, false, "check", good)
	want := good + `: OK: 4 services in 3 waves (cron setup; web; client), main "client", exit code "main"`
	if code != 0 || strings.TrimSpace(out) != want || stderr != "" {
		t.Errorf("good file: got %d %q %q, want 0 %q", code, out, stderr, want)
	}
	bad := writeConfig(t, `
[service.web]
comand = ["/bin/true"]
requires = ["dbb"]
[service.db]
command = ["/bin/true"]
stop_timeout = "10"
`)
	code, out, stderr = runTinit(t, false, "check", bad)
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	format := regexp.MustCompile(`^` + regexp.QuoteMeta(bad) + `:[0-9]+: service "(web|db)": [a-z_]+: .+$`)
	if code != exitUsage || out != "" || len(lines) != 5 {
		t.Fatalf("bad file: got %d %q, stderr:\n%s", code, out, stderr)
	}
	for _, l := range lines[:4] {
		if !format.MatchString(l) {
			t.Errorf("line %q: not file:line: service \"x\": key: message", l)
		}
	}
	if want := "tinit: " + bad + ": 4 problems"; lines[4] != want {
		t.Errorf("last line %q, want %q", lines[4], want)
	}
}

// TestConfigRefused: tinit --config starts nothing from a configuration
// with a problem.
// TestCheckSummaryCounts: one service in one wave is said in the singular.
func TestCheckSummaryCounts(t *testing.T) {
	cfg, err := services.NewConfig(services.DefaultSettings(), services.NewService("a", []string{"/bin/true"}))
	if err != nil {
		t.Fatal(err)
	}
	cfg.File = "one.toml"
	want := `one.toml: OK: 1 service in 1 wave (a), exit code "first-failure"`
	if got := checkSummary(cfg); got != want {
		t.Errorf("checkSummary = %q, want %q", got, want)
	}
}

func TestConfigRefused(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "started")
	cfg := writeConfig(t, `
[service.good]
type = "oneshot"
command = ["%HELPER%/helper-svc-file", "`+marker+`", "ran"]
[service.bad]
command = ["/bin/true"]
restart = "sometimes"
`)
	code, _, stderr := runTinit(t, false, "--config", cfg)
	if code != exitUsage || !strings.Contains(stderr, `service "bad": restart: unknown restart mode "sometimes"`) ||
		!strings.Contains(stderr, ": 1 problem, nothing started") {
		t.Errorf("got %d, stderr:\n%s", code, stderr)
	}
	if _, err := os.Stat(marker); err == nil {
		t.Errorf("a service ran")
	}
	code, _, stderr = runTinit(t, false, "--config", "/nonexistent/services.toml")
	if code != exitUsage || !strings.Contains(stderr, "tinit: load config:") {
		t.Errorf("missing file: got %d %q", code, stderr)
	}
}

func TestServicesNotify(t *testing.T) {
	cfg := writeConfig(t, `
[service.n]
type = "notify"
command = ["%HELPER%/helper-svc-notify", "300ms"]
ready_timeout = "20s"
[service.after]
command = ["%HELPER%/helper-svc-print", "after"]
after = ["n"]
`)
	both(t, func(t *testing.T, pid1 bool) {
		tt := start(t, pid1, "--config", cfg)
		tt.run()
		notified := tt.lineOf("n", "notifying")
		started := tt.lineOf("after", "after started")
		if started.Before(notified) {
			t.Errorf("after started before n was ready")
		}
		tt.signal(syscall.SIGTERM)
		if code, _ := tt.wait(); code != 0 {
			t.Errorf("exit code %d; stderr:\n%s", code, tt.stderr.String())
		}
		if s := tt.stderr.String(); !strings.Contains(s, "n: starting -> ready: ready (READY=1)") {
			t.Errorf("stderr:\n%s", s)
		}
	})
}

// TestServicesSystemdNotify uses Debian's systemd-notify as the client:
// as root it speaks for its parent (the service's shell), and with
// --pid=self for itself, a process below the service.
func TestServicesSystemdNotify(t *testing.T) {
	for _, args := range []string{"--ready", "--pid=self --ready"} {
		t.Run(args, func(t *testing.T) {
			cfg := writeConfig(t, `
[service.n]
type = "notify"
command = ["/bin/sh", "-c", "sleep 0.2; /usr/bin/systemd-notify `+args+` --status=up; echo notified; exec %HELPER%/helper-sleep"]
ready_timeout = "20s"
[service.after]
command = ["%HELPER%/helper-svc-print", "after"]
after = ["n"]
`)
			tt := start(t, false, "--config", cfg)
			tt.run()
			tt.lineOf("after", "after started")
			tt.signal(syscall.SIGTERM)
			if code, _ := tt.wait(); code != 0 {
				t.Errorf("exit code %d; stderr:\n%s", code, tt.stderr.String())
			}
			if s := tt.stderr.String(); !strings.Contains(s, "ready (READY=1)") {
				t.Errorf("stderr:\n%s", s)
			}
		})
	}
}

func TestServicesReadyTCP(t *testing.T) {
	addr := freePort(t)
	cfg := writeConfig(t, `
[service.db]
command = ["%HELPER%/helper-svc-listen", "`+addr+`", "500ms"]
ready_tcp = "`+addr+`"
ready_interval = "50ms"
[service.app]
command = ["%HELPER%/helper-svc-connect", "`+addr+`"]
requires = ["db"]
restart = "no"
`)
	tt := start(t, false, "--config", cfg)
	tt.run()
	tt.lineOf("db", "listening")
	tt.lineOf("app", "connected") // it would print connect: ... had it started too early
	tt.signal(syscall.SIGTERM)
	if code, _ := tt.wait(); code != 0 {
		t.Errorf("exit code %d; stderr:\n%s", code, tt.stderr.String())
	}
}

// TestServicesStopTimeout: a service that ignores SIGTERM is killed after
// its stop_timeout, and tinit ends right then.
func TestServicesStopTimeout(t *testing.T) {
	cfg := writeConfig(t, `
[service.stubborn]
command = ["%HELPER%/helper-ignore-term"]
stop_timeout = "1s"
`)
	both(t, func(t *testing.T, pid1 bool) {
		tt := start(t, pid1, "--config", cfg)
		tt.run()
		tt.lineOf("stubborn", "ready")
		begin := time.Now()
		tt.signal(syscall.SIGTERM)
		code, _ := tt.wait()
		took, most := time.Since(begin), 4*time.Second
		if testing.Short() { // under emulation, in the VM
			most = 30 * time.Second
		}
		if code != 0 || took < time.Second || took > most {
			t.Errorf("exit code %d after %v, want 0 after 1s; stderr:\n%s", code, took, tt.stderr.String())
		}
		if s := tt.stderr.String(); !strings.Contains(s, "sending SIGKILL") || !strings.Contains(s, "killed by SIGKILL (stop_timeout)") {
			t.Errorf("stderr:\n%s", s)
		}
	})
}

// TestServicesDoubleFork: what a service leaves behind in a session of
// its own is stopped at the end with the stragglers.
func TestServicesDoubleFork(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "daemon.pid")
	cfg := writeConfig(t, `
[service.forker]
command = ["%HELPER%/helper-svc-parent", "`+pidFile+`"]
`)
	tt := start(t, false, "--config", cfg)
	tt.run()
	tt.lineOf("forker", "ready")
	b, err := os.ReadFile(pidFile)
	pid, _ := strconv.Atoi(string(b))
	if err != nil || pid <= 0 {
		t.Fatalf("daemon pid: %q, %v", b, err)
	}
	tt.signal(syscall.SIGTERM)
	if code, _ := tt.wait(); code != 0 {
		t.Errorf("exit code %d; stderr:\n%s", code, tt.stderr.String())
	}
	if !processGone(t, pid) {
		t.Errorf("the daemon %d survived tinit", pid)
		syscall.Kill(pid, syscall.SIGKILL)
	}
	if s := tt.stderr.String(); !strings.Contains(s, "sent SIGTERM to 1 process left") {
		t.Errorf("stderr:\n%s", s)
	}
}

// TestServicesCrashLoop: a service that fails at once is restarted with
// growing delays, so in a window of 3s it runs a handful of times, not
// the ~60 times a fixed 50ms delay would give, and tinit stays idle.
func TestServicesCrashLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("a measurement in real time: not under emulation (-short, the VM)")
	}
	cfg := writeConfig(t, `
[service.crash]
command = ["%HELPER%/helper-svc-run"]
restart_delay = "50ms"
restart_backoff = 2.0
restart_delay_max = "1s"
start_limit_burst = 0
`)
	tt := start(t, false, "--config", cfg)
	tt.run()
	tt.lineOf("crash", "run")
	window := time.After(3 * time.Second) // the measurement window
	runs := 1
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(tt.stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
count:
	for {
		select {
		case l := <-lines:
			if _, text := serviceLine(l); strings.HasPrefix(text, "run ") {
				runs++
			}
		case <-window:
			break count
		}
	}
	cpu := cpuTime(t, tt.cmd.Process.Pid)
	tt.signal(syscall.SIGTERM)
	go func() {
		for range lines {
		}
	}()
	tt.cmd.Wait()
	// 50+100+200+400+800+1000 ms: 6 or 7 runs in 3s, whatever the machine.
	if runs < 4 || runs > 9 {
		t.Errorf("%d runs in 3s, want 4 to 9 with the backoff", runs)
	}
	if cpu > 500*time.Millisecond {
		t.Errorf("tinit used %v of CPU in 3s", cpu)
	}
	t.Logf("%d runs in 3s, tinit's CPU %v", runs, cpu)
}

// cpuTime is the user and system time of a process so far.
func cpuTime(t *testing.T, pid int) time.Duration {
	f := statFields(pid)
	if f == nil {
		t.Fatalf("pid %d is gone", pid)
	}
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return time.Duration(utime+stime) * time.Second / 100 // USER_HZ
}

// TestServicesShutdownOrder: services stop in the reverse of their start
// order, dependents first, as their output shows.
func TestServicesShutdownOrder(t *testing.T) {
	cfg := writeConfig(t, `
[service.a]
command = ["%HELPER%/helper-svc-print", "a"]
[service.b]
command = ["%HELPER%/helper-svc-print", "b"]
requires = ["a"]
[service.c]
command = ["%HELPER%/helper-svc-print", "c"]
after = ["b"]
`)
	both(t, func(t *testing.T, pid1 bool) {
		tt := start(t, pid1, "--config", cfg)
		tt.run()
		for seen := map[string]bool{}; len(seen) < 3; { // in any order
			if _, text := serviceLine(tt.line()); strings.HasSuffix(text, " started") {
				seen[text] = true
			}
		}
		tt.signal(syscall.SIGINT)
		code, rest := tt.wait()
		var order []string
		for _, l := range strings.Split(rest, "\n") {
			if _, text := serviceLine(l); strings.HasSuffix(text, " stopped") {
				order = append(order, strings.TrimSuffix(text, " stopped"))
			}
		}
		if got := strings.Join(order, " "); code != 0 || got != "c b a" {
			t.Errorf("code %d, stop order %q, want 0 and \"c b a\"; stderr:\n%s", code, got, tt.stderr.String())
		}
	})
}

func TestServicesExitCodes(t *testing.T) {
	tests := []struct {
		name, config string
		want         int
	}{
		{"main", `
[service.m]
command = ["%HELPER%/helper-exit", "3"]
main = true
[service.other]
command = ["%HELPER%/helper-sleep"]
`, 3},
		{"main killed", `
[service.m]
command = ["%HELPER%/helper-kill-self", "9"]
main = true
`, 137},
		{"max", `
[tinit]
exit_code = "max"
[service.a]
command = ["%HELPER%/helper-exit", "4"]
restart = "no"
[service.b]
command = ["%HELPER%/helper-exit", "9"]
restart = "no"
`, 9},
		{"critical", `
[service.c]
command = ["%HELPER%/helper-exit", "5"]
critical = true
restart = "no"
[service.other]
command = ["%HELPER%/helper-sleep"]
`, 5},
		{"not found", `
[service.m]
command = ["/nonexistent/program"]
main = true
`, 127},
		{"zero", `
[tinit]
exit_code = "zero"
[service.a]
command = ["%HELPER%/helper-exit", "4"]
restart = "no"
`, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runTinit(t, false, "--config", writeConfig(t, tc.config))
			if code != tc.want {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tc.want, stderr)
			}
		})
	}
}

// TestServicesScenario is the multi-service scenario of the VM matrix
// (it runs on the host too): a oneshot, a notify service, a TCP service,
// a health check, a crash loop, the main service's exit, the order of the
// stop and the exit code, with the test's own helpers only.
func TestServicesScenario(t *testing.T) {
	addr := freePort(t)
	dir := t.TempDir()
	setup := filepath.Join(dir, "setup")
	cfg := writeConfig(t, `
[tinit]
shutdown_timeout = "10s"
[service.setup]
type = "oneshot"
command = ["%HELPER%/helper-svc-file", "`+setup+`", "done"]
[service.notify]
type = "notify"
command = ["%HELPER%/helper-svc-notify", "100ms"]
requires = ["setup"]
ready_timeout = "1m"
[service.db]
command = ["%HELPER%/helper-svc-listen", "`+addr+`", "200ms"]
requires = ["setup"]
ready_tcp = "`+addr+`"
ready_interval = "20ms"
ready_timeout = "1m"
[service.db.health]
tcp = "`+addr+`"
interval = "100ms"
timeout = "100ms"
[service.flaky]
type = "oneshot"
command = ["%HELPER%/helper-exit", "1"]
restart = "on-failure"
restart_delay = "10ms"
start_limit_burst = 3
[service.app]
type = "notify" # ready once connected: main, which ends the run, starts after
command = ["%HELPER%/helper-svc-connect", "`+addr+`"]
requires = ["db", "notify"]
wants = ["flaky"]
[service.main]
type = "oneshot"
command = ["%HELPER%/helper-exit", "42"]
requires = ["app"]
main = true
`)
	code, out, stderr := runTinit(t, false, "--config", cfg)
	if code != 42 {
		t.Errorf("exit code %d, want 42 (main's)", code)
	}
	if b, _ := os.ReadFile(setup); string(b) != "done\n" {
		t.Errorf("setup wrote %q", b)
	}
	for _, want := range []string{"flaky: starting -> failed: pid", "started 3 times within 1m, giving up",
		"app: starting although \"flaky\" failed", "notify: starting -> ready: ready (READY=1)",
		"db: starting -> ready: ready (tcp)", "main: starting -> failed: pid"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr has no %q", want)
		}
	}
	if !strings.Contains(out, "connected") {
		t.Errorf("app did not connect: %q", out)
	}
	if i, j := strings.Index(stderr, "app: stopping -> stopped"), strings.Index(stderr, "db: ready -> stopping"); i < 0 || j < 0 || i > j {
		t.Errorf("db stopped before app")
	}
	if t.Failed() {
		t.Logf("stdout:\n%s\nstderr:\n%s", out, stderr)
	}
}

// TestDemo runs examples/demo.toml for real, as a fresh Debian 12 would
// (sh, coreutils and python3 from /usr/bin): it ends by itself, with exit
// code 0, within a few seconds.
func TestDemo(t *testing.T) {
	for _, prog := range []string{"/bin/sh", "/usr/bin/python3", "../../examples/demo.toml"} {
		if _, err := os.Stat(prog); err != nil {
			t.Skipf("the demo needs %s (the VM has none): %v", prog, err)
		}
	}
	begin := time.Now()
	code, out, stderr := runTinit(t, false, "--config", "../../examples/demo.toml")
	took := time.Since(begin)
	if code != 0 || took > time.Minute { // a bound on a hang, not a speed check
		t.Errorf("exit code %d after %v, want 0 within seconds; stdout:\n%s\nstderr:\n%s", code, took, out, stderr)
	}
	if n := strings.Count(out, "client | hello from tinit"); n != 3 {
		t.Errorf("client got the page %d times, want 3; stdout:\n%s", n, out)
	}
	t.Logf("the demo took %v", took)
}

// TestServicesCgroupLimits: a service with limits runs in a cgroup of its
// own with them where the kernel offers the controllers (the VM), and
// fails to start, saying why, where it does not (a hybrid hierarchy whose
// controllers are cgroup v1's, like this machine's).
func TestServicesCgroupLimits(t *testing.T) {
	if b, _ := os.ReadFile("/proc/self/cgroup"); !strings.Contains(string(b), "0::/\n") {
		t.Skipf("tinit would rearrange the cgroup this test runs in (%q); it runs where that is the root", b)
	}
	cfg := writeConfig(t, `
[service.limited]
command = ["%HELPER%/helper-svc-cgroup"]
memory_max = "32M"
pids_max = 64
restart = "no"
`)
	tt := start(t, false, "--config", cfg)
	tt.run()
	offered, _ := os.ReadFile(unifiedRoot() + "/cgroup.controllers")
	if !strings.Contains(string(offered), "memory") || !strings.Contains(string(offered), "pids") {
		code, _ := tt.wait()
		if s := tt.stderr.String(); code != 1 || !strings.Contains(s, "memory.max needs the memory controller") {
			t.Errorf("exit code %d, stderr:\n%s", code, s)
		}
		return
	}
	var got []string
	for l := ""; l != "done"; {
		_, l = serviceLine(tt.line())
		got = append(got, l)
	}
	want := []string{"cgroup /tinit/limited", "memory.max 33554432", "pids.max 64", "done"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got %q, want %q", got, want)
	}
	tt.signal(syscall.SIGTERM)
	if code, _ := tt.wait(); code != 0 {
		t.Errorf("exit code %d, stderr:\n%s", code, tt.stderr.String())
	}
}

// unifiedRoot is where the cgroup v2 hierarchy is mounted.
func unifiedRoot() string {
	if _, err := os.Stat("/sys/fs/cgroup/cgroup.controllers"); err == nil {
		return "/sys/fs/cgroup"
	}
	return "/sys/fs/cgroup/unified"
}

// BenchmarkServices measures tinit --config with n sleepers (chains of
// ten, each requiring the one before) against the same n processes
// started and stopped directly by this benchmark (syscall.ForkExec,
// SIGTERM, wait4), interleaved. tinit's figures come from its own JSON
// log: start is from "starting n services" to "all n services ready",
// stop from "shutting down" to "exiting". The metrics are per service;
// start-x and stop-x are tinit/raw.
//
//	go test -run XXX -bench Services -benchtime 10x ./cmd/tinit/
func BenchmarkServices(b *testing.B) {
	sleep, err := exec.LookPath("sleep")
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			cfg := writeBenchConfig(b, n, sleep)
			var sup, raw [2][]time.Duration
			for b.Loop() {
				rs, rt := rawSpawn(b, n, sleep)
				raw[0], raw[1] = append(raw[0], rs), append(raw[1], rt)
				ss, st := tinitServices(b, cfg, n)
				sup[0], sup[1] = append(sup[0], ss), append(sup[1], st)
			}
			for i, phase := range []string{"start", "stop"} {
				s, r := medianOf(sup[i])/time.Duration(n), medianOf(raw[i])/time.Duration(n)
				b.ReportMetric(float64(s.Nanoseconds())/1e3, phase+"-us/svc")
				b.ReportMetric(float64(r.Nanoseconds())/1e3, "raw-"+phase+"-us/svc")
				b.ReportMetric(float64(s)/float64(r), phase+"-x")
			}
		})
	}
}

func writeBenchConfig(b testing.TB, n int, sleep string) string {
	var sb strings.Builder
	sb.WriteString("[tinit]\nlog_format = \"json\"\n")
	for i := range n {
		fmt.Fprintf(&sb, "[service.s%04d]\ncommand = [%q, \"1000\"]\n", i, sleep)
		if i%10 != 0 {
			fmt.Fprintf(&sb, "requires = [\"s%04d\"]\n", i-1)
		}
	}
	path := filepath.Join(b.TempDir(), "bench.toml")
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

func medianOf(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// rawSpawn starts n sleepers, each in a session of its own as tinit's
// services are, then stops them: the reference.
func rawSpawn(b *testing.B, n int, sleep string) (start, stop time.Duration) {
	devNull, _ := os.Open(os.DevNull)
	defer devNull.Close()
	attr := &syscall.ProcAttr{Files: []uintptr{devNull.Fd(), devNull.Fd(), devNull.Fd()},
		Sys: &syscall.SysProcAttr{Setsid: true}}
	pids := make([]int, n)
	begin := time.Now()
	for i := range pids {
		pid, err := syscall.ForkExec(sleep, []string{"sleep", "1000"}, attr)
		if err != nil {
			b.Fatal(err)
		}
		pids[i] = pid
	}
	start = time.Since(begin)
	begin = time.Now()
	for _, pid := range pids {
		syscall.Kill(pid, syscall.SIGTERM)
	}
	for _, pid := range pids {
		var ws syscall.WaitStatus
		syscall.Wait4(pid, &ws, 0, nil)
	}
	return start, time.Since(begin)
}

// tinitServices runs tinit --config cfg, stops it once every service is
// ready, and returns the start and stop times from its JSON log.
func tinitServices(b *testing.B, cfg string, n int) (start, stop time.Duration) {
	cmd := exec.Command(tinitPath, "--config", cfg)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	at := map[string]time.Time{}
	ready := fmt.Sprintf("%d services ready in ", n)
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		var rec struct {
			Time    time.Time `json:"time"`
			Msg     string    `json:"msg"`
			Service string    `json:"service"`
		}
		if json.Unmarshal(sc.Bytes(), &rec) != nil || rec.Service != "" {
			continue
		}
		for _, mark := range []string{"starting", ready, "shutting down", "exiting"} {
			if strings.HasPrefix(rec.Msg, mark) {
				at[mark] = rec.Time
			}
		}
		if strings.HasPrefix(rec.Msg, ready) {
			cmd.Process.Signal(syscall.SIGTERM)
		}
	}
	if err := cmd.Wait(); err != nil || len(at) != 4 {
		b.Fatalf("tinit: %v, marks %v", err, at)
	}
	return at[ready].Sub(at["starting"]), at["exiting"].Sub(at["shutting down"])
}

// TestServicesMany starts 500 real sleepers in chains of ten and stops
// them: from tinit's JSON log, each starts after the one it requires is
// ready, and stops before it.
func TestServicesMany(t *testing.T) {
	sleep, err := exec.LookPath("sleep")
	if err != nil || testing.Short() {
		t.Skipf("needs sleep(1) and real time (not the VM's -short): %v", err)
	}
	const n = 500
	cfg := writeBenchConfig(t, n, sleep)
	tt := start(t, false, "-v", "--config", cfg) // -v: each start is logged too
	tt.cmd.Stderr = nil
	stderr, err := tt.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	tt.run()
	seq := map[string]int{} // "s0001 ready" -> its place in the log
	sc := bufio.NewScanner(stderr)
	for i := 0; sc.Scan(); i++ {
		var rec struct{ Msg, Service string }
		json.Unmarshal(sc.Bytes(), &rec)
		if strings.HasPrefix(rec.Msg, fmt.Sprintf("%d services ready", n)) {
			tt.signal(syscall.SIGTERM)
		}
		if from, rest, ok := strings.Cut(rec.Msg, " -> "); ok {
			to, _, _ := strings.Cut(rest, ":")
			seq[rec.Service+" "+from+">"+to] = i
		}
	}
	if code, _ := tt.wait(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	for i := range n {
		s := fmt.Sprintf("s%04d", i)
		if _, ok := seq[s+" stopping>stopped"]; !ok {
			t.Fatalf("%s never stopped", s)
		}
		if i%10 == 0 {
			continue
		}
		dep := fmt.Sprintf("s%04d", i-1)
		if seq[s+" waiting>starting"] < seq[dep+" starting>ready"] {
			t.Errorf("%s started before %s was ready", s, dep)
		}
		if seq[s+" stopping>stopped"] > seq[dep+" ready>stopping"] {
			t.Errorf("%s stopped after %s began to", s, dep)
		}
	}
}
