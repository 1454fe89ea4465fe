package vm

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// fakeQemu writes a shell script that stands for QEMU.
func fakeQemu(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "qemu")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunVMPowersOff(t *testing.T) {
	q := fakeQemu(t, `echo "[ 0.0] Linux version"
echo "TINIT-VM START kernel=k release=r tier=pidfd uptime=1.00 tests=1"
echo "TINIT-VM BEGIN init"
echo "--- PASS: TestX (0.00s)"
echo "TINIT-VM END init exit=0 seconds=0.10"
echo "TINIT-VM DONE exit=0 passed=1 failed=0"
echo "qemu says this on stderr" >&2`)
	res := runVM(t.Context(), vmRun{Qemu: q, BootTimeout: time.Minute, Timeout: time.Minute})
	if res.Killed != "" || res.Err != nil || res.Done == nil || res.test("init") == nil || len(res.Errors) != 0 {
		t.Errorf("got %+v", res)
	}
	if res.Stderr != "qemu says this on stderr\n" {
		t.Errorf("got stderr %q", res.Stderr)
	}
}

// TestRunVMKills checks every deadline: each kills the whole process group
// (the script's background sleep too) and says why.
func TestRunVMKills(t *testing.T) {
	start := `echo "TINIT-VM START kernel=k release=r tier=pidfd uptime=1.00 tests=1"`
	tests := []struct {
		name   string
		body   string
		run    vmRun
		ctxTTL time.Duration
		want   string
	}{
		{"no boot", "", vmRun{BootTimeout: 200 * time.Millisecond, Timeout: time.Minute}, time.Minute, "no runner START after 200ms"},
		{"hang", start, vmRun{BootTimeout: time.Minute, Timeout: 300 * time.Millisecond}, time.Minute, "still running after 300ms"},
		{"no runner, hang", "", vmRun{Timeout: 300 * time.Millisecond}, time.Minute, "still running after 300ms"},
		{"test ends", start, vmRun{BootTimeout: time.Minute, Timeout: time.Minute}, 300 * time.Millisecond, "the test ended: context deadline exceeded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pidFile := filepath.Join(t.TempDir(), "pid")
			tt.run.Qemu = fakeQemu(t, tt.body+"\nsleep 100 &\necho $! >"+pidFile+"\nwait")
			ctx, cancel := context.WithTimeout(t.Context(), tt.ctxTTL)
			defer cancel()
			res := runVM(ctx, tt.run)
			if !strings.Contains(res.Killed, tt.want) || res.Err == nil {
				t.Errorf("got killed %q, err %v; want killed %q and an exit error", res.Killed, res.Err, tt.want)
			}
			checkGone(t, pidFile)
		})
	}
}

// checkGone checks that the process whose pid is in pidFile, if the script
// got as far as starting it, ends: killed with its group, it is reaped by
// whoever inherited it.
func checkGone(t *testing.T, pidFile string) {
	b, err := os.ReadFile(pidFile)
	if errors.Is(err, os.ErrNotExist) || err == nil && len(b) == 0 {
		t.Log("the script was killed before it started its child")
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	fd, err := unix.PidfdOpen(pid, 0)
	if errors.Is(err, unix.ESRCH) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
	n, err := unix.Poll(fds, 10_000)
	for errors.Is(err, unix.EINTR) {
		n, err = unix.Poll(fds, 10_000)
	}
	if err != nil || n == 0 {
		t.Errorf("process %d of the killed group still runs after 10s (poll: %d, %v)", pid, n, err)
	}
}
