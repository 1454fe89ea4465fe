package reaper

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// variants are the fallbacks to test on this kernel besides its best path.
var variants = []struct {
	name    string
	disable Feature
}{
	{"best", 0},
	{"no-clear-sighand", ClearSighand},
	{"no-close-range", CloseRange},
	{"clone2", Clone3}, // and with it what only clone3 offers (Features.disable)
	{"pidfd-tier", Autoreap | NNP | Autokill},
	{"reaping", PidfdExitInfo}, // the pidfd tier's wait loop: the kernel reaps nothing
}

// forVariants runs f once per variant, each with its own Reaper. A
// variant that leaves this kernel with the same features as an earlier
// one (disabling what the kernel lacks anyway) would test the same path
// again, and does not run.
func forVariants(t *testing.T, f func(t *testing.T, r *Reaper)) {
	forVariantsWith(t, Options{}, f)
}

// forReapingVariants is forVariants with a Reaper that reaps every orphan
// itself and reports it (OnOrphan set: the kernel never reaps for it), on
// every tier. OnOrphan may be replaced under the wait lock.
func forReapingVariants(t *testing.T, f func(t *testing.T, r *Reaper)) {
	forVariantsWith(t, Options{OnOrphan: func(int, Exit) {}}, f)
}

func forVariantsWith(t *testing.T, opts Options, f func(t *testing.T, r *Reaper)) {
	kernel := Probe()
	seen := map[Feature]bool{}
	for _, v := range variants {
		if have := kernel.have &^ v.disable; !seen[have] {
			seen[have] = true
			t.Run(v.name, func(t *testing.T) {
				o := opts
				o.Disable = v.disable
				f(t, newTestReaper(t, o))
			})
		}
	}
}

func status(t *testing.T, r *Reaper, s *Spec) map[string]string {
	t.Helper()
	out, e := output(t, r, s)
	if !e.Success() {
		t.Fatalf("status helper: %v", e)
	}
	return keyValues(out)
}

func TestCredentials(t *testing.T) {
	forVariants(t, func(t *testing.T, r *Reaper) {
		tests := []struct {
			cred             Credential
			uid, gid, groups string
		}{
			{Credential{UID: 1234, GID: 5678, Groups: []uint32{7, 3, 9}}, "1234 1234 1234 1234", "5678 5678 5678 5678", "3 7 9"},
			{Credential{UID: 65534, GID: 65534}, "65534 65534 65534 65534", "65534 65534 65534 65534", ""},
			{Credential{UID: 0, GID: 100, Groups: []uint32{100}}, "0 0 0 0", "100 100 100 100", "100"},
		}
		for _, tt := range tests {
			s := helperSpec(t, "status")
			s.Credential = &tt.cred
			kv := status(t, r, s)
			if kv["Uid"] != tt.uid || kv["Gid"] != tt.gid || kv["Groups"] != tt.groups {
				t.Errorf("%+v: got Uid %q Gid %q Groups %q, want %q %q %q", tt.cred,
					kv["Uid"], kv["Gid"], kv["Groups"], tt.uid, tt.gid, tt.groups)
			}
		}
	})
}

func TestNoNewPrivs(t *testing.T) {
	forVariants(t, func(t *testing.T, r *Reaper) {
		for _, nnp := range []bool{false, true} {
			s := helperSpec(t, "status")
			s.NoNewPrivs = nnp
			want := map[bool]string{false: "0", true: "1"}[nnp]
			if got := status(t, r, s)["NoNewPrivs"]; got != want {
				t.Errorf("NoNewPrivs=%v: child has NoNewPrivs %q, want %q", nnp, got, want)
			}
		}
		if b, _ := os.ReadFile("/proc/self/status"); strings.Contains(string(b), "NoNewPrivs:\t1") {
			t.Error("tinit itself got no_new_privs")
		}
	})
}

func TestSessionAndGroup(t *testing.T) {
	forVariants(t, func(t *testing.T, r *Reaper) {
		mySid, _, _ := syscall.RawSyscall(syscall.SYS_GETSID, 0, 0, 0)
		myPgid := syscall.Getpgrp()

		s := helperSpec(t, "status")
		s.Setsid = true
		kv := status(t, r, s)
		if kv["sid"] != kv["pid"] || kv["pgid"] != kv["pid"] {
			t.Errorf("Setsid: pid %s sid %s pgid %s, want all equal", kv["pid"], kv["sid"], kv["pgid"])
		}

		s = helperSpec(t, "status")
		s.Setpgid = true
		kv = status(t, r, s)
		if kv["pgid"] != kv["pid"] || kv["sid"] != strconv.Itoa(int(mySid)) {
			t.Errorf("Setpgid: pid %s pgid %s sid %s, want own group in session %d", kv["pid"], kv["pgid"], kv["sid"], mySid)
		}

		kv = status(t, r, helperSpec(t, "status"))
		if kv["pgid"] != strconv.Itoa(myPgid) {
			t.Errorf("default: pgid %s, want tinit's %d", kv["pgid"], myPgid)
		}
	})
}

func TestOnlyAskedFDsOpen(t *testing.T) {
	forVariants(t, func(t *testing.T, r *Reaper) {
		// An fd without FD_CLOEXEC, as one inherited from tinit's parent.
		leaky, err := syscall.Open("/dev/null", syscall.O_RDONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer syscall.Close(leaky)
		if !slices.Contains(inheritedLeakyFDs(), int32(leaky)) {
			t.Fatalf("fd %d without FD_CLOEXEC not found", leaky)
		}
		// The Reaper records inherited fds when it starts; this one came
		// later, so on the close_range-less path it is not known: make a
		// Reaper that knows it.
		r.cloexecFDs = inheritedLeakyFDs()

		a, b := tempFile(t, "a"), tempFile(t, "b")
		out := tempFile(t, "out")
		closed := "/dev/null" // what the Go runtime opens for a closed 0, 1 or 2
		// A run of slots to close that covers the leaky fd: one
		// close_range where the kernel has it.
		longGap := make([]*os.File, leaky-3+8)
		wantLongGap := append([]string{closed, out.Name(), closed}, make([]string, len(longGap))...)
		tests := []struct {
			name string
			spec func(s *Spec)
			want []string
		}{
			{"stdout only", func(s *Spec) {}, []string{closed, out.Name(), closed}},
			{"stdio", func(s *Spec) { s.Stdin, s.Stderr = a, b }, []string{a.Name(), out.Name(), b.Name()}},
			{"extra", func(s *Spec) { s.ExtraFiles = []*os.File{a} }, []string{closed, out.Name(), closed, a.Name()}},
			{"gap", func(s *Spec) { s.ExtraFiles = []*os.File{nil, nil, b} },
				[]string{closed, out.Name(), closed, "", "", b.Name()}},
			{"stdout as fd 0 too", func(s *Spec) { s.Stdin = s.Stdout }, []string{out.Name(), out.Name(), closed}},
			{"long gap over a leaky fd", func(s *Spec) { s.ExtraFiles = append(longGap, a) },
				append(wantLongGap, a.Name())},
		}
		for _, tt := range tests {
			s := helperSpec(t, "fds")
			s.Stdout = out
			tt.spec(s)
			if e := run(t, r, s); !e.Success() {
				t.Fatalf("%s: %v", tt.name, e)
			}
			if got := inheritedFDs(t, out); !slices.Equal(got, tt.want) {
				t.Errorf("%s: child inherited %q, want %q", tt.name, got, tt.want)
			}
		}
	})
}

func tempFile(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Create(t.TempDir() + "/" + name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// inheritedFDs reads the last helperFDs report from f, and truncates f;
// the result holds each fd's target at its index, "" for a gap.
func inheritedFDs(t *testing.T, f *os.File) []string {
	t.Helper()
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(0)
	f.Seek(0, 0)
	var got []string
	for _, w := range strings.Fields(string(b)) {
		n, target, _ := strings.Cut(w, ":")
		fd, _ := strconv.Atoi(n)
		for len(got) <= fd {
			got = append(got, "")
		}
		got[fd] = target
	}
	return got
}

// TestFDShuffle maps fds onto each other's numbers, the case where a naive
// dup2 sequence overwrites a source before it is used.
func TestFDShuffle(t *testing.T) {
	forVariants(t, func(t *testing.T, r *Reaper) {
		files := make([]*os.File, 4)
		for i := range files {
			f, err := os.CreateTemp(t.TempDir(), "fd")
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			fmt.Fprintf(f, "file%d", i)
			files[i] = f
		}
		s := &Spec{Path: "/bin/sh", Args: []string{"sh", "-c",
			`for fd in 0 3 4 5; do readlink /proc/self/fd/$fd; done >&2`}, Env: []string{"PATH=/usr/bin:/bin"}}
		pr, pw, _ := os.Pipe()
		defer pr.Close()
		s.Stdin = files[3]
		s.Stderr = pw
		s.ExtraFiles = []*os.File{files[0], files[1], files[2]}
		p, err := r.Start(s)
		pw.Close()
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		buf := make([]byte, 4096)
		n, _ := readAll(pr, buf)
		if e := p.Exit(); !e.Success() {
			t.Fatalf("sh: %v", e)
		}
		want := []string{files[3].Name(), files[0].Name(), files[1].Name(), files[2].Name()}
		if got := strings.Fields(string(buf[:n])); !slices.Equal(got, want) {
			t.Errorf("fds 0 3 4 5 are %q, want %q", got, want)
		}
	})
}

func readAll(f *os.File, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := f.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func TestEnvExactlyAsGiven(t *testing.T) {
	forVariants(t, func(t *testing.T, r *Reaper) {
		t.Setenv("TINIT_SHOULD_NOT_LEAK", "1")
		env := []string{"B=2", "A=1", "EMPTY=", "A=dup", "=weird", "NOEQUALS"}
		s := helperSpec(t, "env")
		s.Env = env
		out, e := output(t, r, s)
		if !e.Success() {
			t.Fatal(e)
		}
		if got := strings.Split(strings.TrimSuffix(out, "\n"), "\n"); !slices.Equal(got, env) {
			t.Errorf("child environment %q, want %q", got, env)
		}
		out, _ = output(t, r, helperSpec(t, "env"))
		if out != "" {
			t.Errorf("nil Env: child environment %q, want empty", out)
		}
	})
}

func TestDirUmaskRlimit(t *testing.T) {
	forVariants(t, func(t *testing.T, r *Reaper) {
		dir := t.TempDir()
		s := helperSpec(t, "pwd")
		s.Dir = dir
		if out, _ := output(t, r, s); strings.TrimSpace(out) != dir {
			t.Errorf("Dir: child in %q, want %q", out, dir)
		}
		mask := uint32(0o027)
		s = helperSpec(t, "status")
		s.Umask = &mask
		s.Rlimits = []Rlimit{{Resource: unix.RLIMIT_CORE, Cur: 123, Max: 456}}
		kv := status(t, r, s)
		if kv["Umask"] != "0027" || kv["core"] != "123:456" {
			t.Errorf("child umask %q core limit %q, want 0027 123:456", kv["Umask"], kv["core"])
		}
	})
}

// TestPidEnv: the child's pid replaces the value of the first entry
// PidEnv names (the one getenv finds); later duplicates pass unchanged.
func TestPidEnv(t *testing.T) {
	forVariants(t, func(t *testing.T, r *Reaper) {
		for _, tc := range []struct {
			env, want []string // PID in want: the child's pid
		}{
			{[]string{"LISTEN_FDS=1", "LISTEN_PID=1", "X=y"}, []string{"LISTEN_FDS=1", "LISTEN_PID=PID", "X=y"}},
			{[]string{"LISTEN_PID=1", "X=y", "LISTEN_PID=2"}, []string{"LISTEN_PID=PID", "X=y", "LISTEN_PID=2"}},
			{[]string{"LISTEN_PID=", "LISTEN_PID=", "LISTEN_PIDX=3"}, []string{"LISTEN_PID=PID", "LISTEN_PID=", "LISTEN_PIDX=3"}},
			{[]string{"X=y"}, []string{"X=y"}},
		} {
			s := helperSpec(t, "env")
			s.Env, s.PidEnv = tc.env, "LISTEN_PID"
			pr, pw, _ := os.Pipe()
			s.Stdout = pw
			p, err := r.Start(s)
			pw.Close()
			if err != nil {
				pr.Close()
				t.Fatal(err)
			}
			buf := make([]byte, 4096)
			n, _ := readAll(pr, buf)
			pr.Close()
			p.Exit()
			p.Close()
			want := strings.ReplaceAll(strings.Join(tc.want, "\n")+"\n", "=PID", "="+strconv.Itoa(p.Pid()))
			if got := string(buf[:n]); got != want {
				t.Errorf("env %q: child environment %q, want %q", tc.env, got, want)
			}
		}
	})
}

// TestIgnoreBeforeUnblock: a child asked to ignore SIGUSR1 never dies of
// it, even when it arrives between the clone and the exec: the child
// sets its dispositions before it unblocks signals. A goroutine sends
// SIGUSR1 to a process group without pause while children join it.
func TestIgnoreBeforeUnblock(t *testing.T) {
	forVariants(t, func(t *testing.T, r *Reaper) {
		ignore := []syscall.Signal{syscall.SIGUSR1}
		leader, err := r.Start(&Spec{Path: lookPath(t, "sleep"), Args: []string{"sleep", "60"}, Setpgid: true, Ignore: ignore})
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			leader.Signal(syscall.SIGKILL)
			waitExit(t, leader)
			leader.Close()
		}()
		time.Sleep(50 * time.Millisecond) // the leader has exec'd
		var stop atomic.Bool
		sent := make(chan int)
		go func() {
			n := 0
			for ; !stop.Load(); n++ {
				syscall.Kill(-leader.Pid(), syscall.SIGUSR1)
			}
			sent <- n
		}()
		killed := 0
		const spawns = 20 // without the order right, most died (286 of 300 here); few, for the VM
		// Not a Go helper: the Go runtime would catch SIGUSR1 once started,
		// and take long to start under the storm. sleep is in the VM too.
		child := &Spec{Path: lookPath(t, "sleep"), Args: []string{"sleep", "0"}, Setpgid: true, Pgid: leader.Pid(), Ignore: ignore}
		for range spawns {
			p, err := r.Start(child)
			if err != nil {
				stop.Store(true)
				<-sent
				t.Fatal(err)
			}
			if e := waitExit(t, p); e.Signal == syscall.SIGUSR1 {
				killed++
			}
			p.Close()
		}
		stop.Store(true)
		t.Logf("%d SIGUSR1 sent to the group", <-sent)
		if killed > 0 {
			t.Errorf("%d of %d children asked to ignore SIGUSR1 died of it", killed, spawns)
		}
	})
}
