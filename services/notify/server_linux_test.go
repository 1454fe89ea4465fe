package notify

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// runHelper is the test binary run as another process: it sends one
// notification to $NOTIFY_SOCKET the way sd_notify does, then exits.
func runHelper(mode string) int {
	if mode != "send" {
		return 2
	}
	if err := send(os.Getenv("NOTIFY_SOCKET"), "READY=1\nSTATUS=from helper", nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// send is the test client, written from the protocol: a fresh unbound
// datagram socket, one sendmsg to the address ('@' for the abstract
// namespace), with optional control data.
func send(addr, payload string, oob []byte) error {
	fd, err := unix.Socket(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	return unix.Sendmsg(fd, []byte(payload), oob, &unix.SockaddrUnix{Name: addr}, 0)
}

func listenT(t *testing.T, addr string) *Server {
	t.Helper()
	s, err := Listen(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func abstractAddr(t *testing.T) string {
	return fmt.Sprintf("@tinit-test-%d-%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "-"))
}

// recvT receives with a deadline, so that a lost datagram fails the test.
func recvT(t *testing.T, s *Server) (Message, error) {
	t.Helper()
	s.file.SetReadDeadline(time.Now().Add(10 * time.Second))
	return s.Receive()
}

func TestServerPathAndAbstract(t *testing.T) {
	checkFDs(t)
	for _, addr := range []string{filepath.Join(t.TempDir(), "notify"), abstractAddr(t)} {
		s := listenT(t, addr)
		if err := send(s.Addr(), "READY=1\nSTATUS=up", nil); err != nil {
			t.Fatalf("send to %q: %v", addr, err)
		}
		m, err := recvT(t, s)
		want := Message{PID: int32(os.Getpid()), UID: uint32(os.Getuid()), GID: uint32(os.Getgid()),
			Ready: true, Status: "up", HasStatus: true}
		if err != nil || m != want {
			t.Errorf("%s: got %+v, %v, want %+v", addr, m, err, want)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if _, err := os.Lstat(addr); addr[0] == '/' && !errors.Is(err, os.ErrNotExist) {
			t.Errorf("socket file left after Close: %v", err)
		}
	}
}

// TestServerOtherProcess: a message from another process is attributed to
// that process's pid, by the kernel.
func TestServerOtherProcess(t *testing.T) {
	checkFDs(t)
	s := listenT(t, abstractAddr(t))
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), helperEnv+"=send", "NOTIFY_SOCKET="+s.Addr(), "GORACE=atexit_sleep_ms=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("helper: %v: %s", err, out)
	}
	m, err := recvT(t, s)
	if err != nil {
		t.Fatal(err)
	}
	if m.PID != int32(cmd.Process.Pid) || m.PID == int32(os.Getpid()) || !m.Ready || m.Status != "from helper" {
		t.Errorf("got %+v, want READY from pid %d", m, cmd.Process.Pid)
	}
}

// TestServerClaimedPid: credentials a sender passes itself are checked by
// the kernel: a privileged sender may speak for a live pid, nobody for a
// pid that does not exist.
func TestServerClaimedPid(t *testing.T) {
	checkFDs(t)
	s := listenT(t, abstractAddr(t))
	cmd := exec.Command("sleep", "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	claim := func(pid int) error {
		return send(s.Addr(), "READY=1", unix.UnixCredentials(&unix.Ucred{Pid: int32(pid), Uid: uint32(os.Getuid()), Gid: uint32(os.Getgid())}))
	}
	if err := claim(cmd.Process.Pid); err != nil {
		if os.Getuid() != 0 {
			t.Skipf("speaking for another pid needs CAP_SYS_ADMIN: %v", err)
		}
		t.Fatal(err)
	}
	if m, err := recvT(t, s); err != nil || m.PID != int32(cmd.Process.Pid) {
		t.Errorf("got pid %d, %v, want %d", m.PID, err, cmd.Process.Pid)
	}
	if err := claim(1 << 30); !errors.Is(err, unix.ESRCH) {
		t.Errorf("claiming a pid that does not exist: got %v, want ESRCH", err)
	}
}

// TestServerClosesFDs: fds sent along are closed at once, so the pipe the
// sender keeps the other end of sees EOF (this is what BARRIER=1 waits for).
func TestServerClosesFDs(t *testing.T) {
	checkFDs(t)
	s := listenT(t, abstractAddr(t))
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	err = send(s.Addr(), "FDSTORE=1\nBARRIER=1", unix.UnixRights(int(w.Fd()), int(w.Fd())))
	w.Close()
	if err != nil {
		t.Fatal(err)
	}
	m, err := recvT(t, s)
	if err != nil || m.ClosedFDs != 2 {
		t.Errorf("got %+v, %v, want 2 closed fds", m, err)
	}
	r.SetReadDeadline(time.Now().Add(10 * time.Second))
	if n, err := r.Read(make([]byte, 1)); err != io.EOF {
		t.Errorf("read from the pipe: got %d, %v, want EOF (the server closed its copies)", n, err)
	}
}

func TestServerRejects(t *testing.T) {
	checkFDs(t)
	s := listenT(t, abstractAddr(t))
	for _, tt := range []struct{ payload, want string }{
		{strings.Repeat("x", MaxDatagram+1), "longer than 4096"},
		{"READY=yes", `READY="yes"`},
		{"STATUS=\xff", "UTF-8"},
	} {
		if err := send(s.Addr(), tt.payload, nil); err != nil {
			t.Fatal(err)
		}
		_, err := recvT(t, s)
		var bad *DatagramError
		if !errors.As(err, &bad) || bad.PID != int32(os.Getpid()) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("got %v, want a DatagramError from our pid containing %q", err, tt.want)
		}
	}
	send(s.Addr(), "READY=1\nSTATUS="+strings.Repeat("s", MaxDatagram-16), nil)
	if m, err := recvT(t, s); err != nil || !m.Ready {
		t.Errorf("datagram of %d bytes after rejects: got %+v, %v", MaxDatagram, m, err)
	}
	if got := s.Bad(); got != 3 {
		t.Errorf("Bad: got %d, want 3", got)
	}
}

func TestServeUntilClose(t *testing.T) {
	checkFDs(t)
	s := listenT(t, abstractAddr(t))
	got := make(chan Message, 1)
	rejected := make(chan error, 1)
	done := make(chan error)
	go func() { done <- s.Serve(func(m Message) { got <- m }, func(err error) { rejected <- err }) }()
	send(s.Addr(), "READY=2", nil)
	send(s.Addr(), "STOPPING=1", nil)
	if err := <-rejected; err == nil {
		t.Error("rejected: got nil error")
	}
	if m := <-got; !m.Stopping {
		t.Errorf("got %+v, want STOPPING", m)
	}
	s.Close()
	if err := <-done; err != nil {
		t.Errorf("Serve after Close: got %v, want nil", err)
	}
	if _, err := s.Receive(); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Receive after Close: got %v, want os.ErrClosed", err)
	}
}

func TestListenErrors(t *testing.T) {
	checkFDs(t)
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	for _, tt := range []struct{ addr, want string }{
		{"", "empty"},
		{"@", "empty"},
		{"relative/path", "absolute path"},
		{"/" + strings.Repeat("a", 200), "longer than"},
		{file, "not a socket"},
		{"/nonexistent-dir/notify", "bind"},
	} {
		if _, err := Listen(tt.addr); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Listen(%.30q): got %v, want an error containing %q", tt.addr, err, tt.want)
		}
	}
	// A stale socket from an earlier run is replaced.
	path := filepath.Join(t.TempDir(), "notify")
	s1 := listenT(t, path)
	s1.file.Close()
	s2 := listenT(t, path)
	send(path, "READY=1", nil)
	if m, err := recvT(t, s2); err != nil || !m.Ready {
		t.Errorf("after replacing a stale socket: got %+v, %v", m, err)
	}
}

// TestSystemdNotify uses Debian's real systemd-notify as the client.
func TestSystemdNotify(t *testing.T) {
	checkFDs(t)
	if _, err := os.Stat("/usr/bin/systemd-notify"); err != nil {
		t.Skipf("systemd-notify not installed: %v", err)
	}
	for _, addr := range []string{filepath.Join(t.TempDir(), "notify"), abstractAddr(t)} {
		s := listenT(t, addr)
		msgs := make(chan Message, 10)
		done := make(chan error, 1)
		go func() { done <- s.Serve(func(m Message) { msgs <- m }, func(err error) { t.Error(err) }) }()

		// As root it speaks for its parent, this test; its own pid with --pid=self.
		runNotify(t, addr, "--ready", "--status=starting up")
		m := next(t, msgs)
		if m.PID != int32(os.Getpid()) || !m.Ready || m.Status != "starting up" {
			t.Errorf("%s: got %+v, want READY from pid %d", addr, m, os.Getpid())
		}
		expectBarrier(t, msgs)
		pid := runNotify(t, addr, "--pid=self", "--status=self")
		m = next(t, msgs)
		if m.PID != int32(pid) || m.MainPID != int32(pid) || m.Status != "self" {
			t.Errorf("%s: got %+v, want pid and MAINPID %d", addr, m, pid)
		}
		expectBarrier(t, msgs)
		s.Close()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// runNotify runs systemd-notify and returns its pid. It waits for the
// barrier: it would hang for 5 s if the server kept the barrier fd.
func runNotify(t *testing.T, addr string, args ...string) int {
	t.Helper()
	cmd := exec.Command("/usr/bin/systemd-notify", args...)
	cmd.Env = append(os.Environ(), "NOTIFY_SOCKET="+addr)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("systemd-notify %v: %v: %s", args, err, out)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("systemd-notify %v took %v: the barrier fd was not closed", args, d)
	}
	return cmd.Process.Pid
}

func expectBarrier(t *testing.T, msgs <-chan Message) {
	t.Helper()
	if m := next(t, msgs); m.ClosedFDs != 1 {
		t.Errorf("got %+v, want the BARRIER=1 message with its fd closed", m)
	}
}

func next(t *testing.T, msgs <-chan Message) Message {
	t.Helper()
	select {
	case m := <-msgs:
		return m
	case <-time.After(10 * time.Second):
		t.Fatal("no message within 10s")
		return Message{}
	}
}
