package reaper

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func init() { helpers["tty"] = helperTTY }

// helperTTY prints its session, its controlling terminal (tty_nr of
// /proc/self/stat) and the foreground group of that terminal on fd 0.
func helperTTY([]string) int {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 1
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
	fg, _ := unix.IoctlGetInt(0, unix.TIOCGPGRP)
	fmt.Printf("pid=%d sid=%s tty=%s fg=%d\n", os.Getpid(), f[3], f[4], fg)
	return 0
}

// openPTY returns the two ends of a new pseudo-terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open /dev/ptmx: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("pty number: %v", err)
	}
	s, err := os.OpenFile("/dev/pts/"+strconv.Itoa(n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open the pty's slave: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return m, s
}

// TestSetctty: with Setsid and Setctty the child's new session gets the
// terminal on fd Ctty as its controlling terminal, and with Foreground
// its group is the terminal's foreground group.
func TestSetctty(t *testing.T) {
	r := newTestReaper(t, Options{})
	_, slave := openPTY(t)
	var st unix.Stat_t
	if err := unix.Fstat(int(slave.Fd()), &st); err != nil {
		t.Fatal(err)
	}
	spec := helperSpec(t, "tty")
	spec.Stdin, spec.Setsid, spec.Setctty, spec.Foreground, spec.Ctty = slave, true, true, true, 0
	out, e := output(t, r, spec)
	var pid, sid, tty, fg int
	if _, err := fmt.Sscanf(out, "pid=%d sid=%d tty=%d fg=%d", &pid, &sid, &tty, &fg); err != nil || !e.Success() {
		t.Fatalf("helper printed %q, %v: %v", out, e, err)
	}
	if sid != pid || uint64(tty) != st.Rdev || fg != pid {
		t.Errorf("child pid %d: session %d, tty %d, foreground %d; want its own session, tty %d, itself in the foreground", pid, sid, tty, fg, st.Rdev)
	}
}
