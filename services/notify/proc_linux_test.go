package notify

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestPidInTree starts sh, which starts sleep: both are in this test's tree.
func TestPidInTree(t *testing.T) {
	checkFDs(t)
	cmd := exec.Command("sh", "-c", "sleep 60 & echo $!; wait")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	grandchild, _ := strconv.Atoi(strings.TrimSpace(line))
	defer func() {
		if grandchild > 0 {
			(&os.Process{Pid: grandchild}).Signal(os.Kill)
		}
		cmd.Process.Kill()
		cmd.Wait()
	}()
	if err != nil || grandchild <= 0 {
		t.Fatalf("read grandchild pid: %q, %v", line, err)
	}
	self, child, gc := int32(os.Getpid()), int32(cmd.Process.Pid), int32(grandchild)
	for _, tt := range []struct {
		pid, root int32
		want      bool
	}{
		{gc, self, true}, {gc, child, true}, {child, self, true}, {self, self, true},
		{self, child, false}, {child, gc, false}, {int32(os.Getppid()), self, false},
	} {
		if got, err := PidInTree(tt.pid, tt.root); got != tt.want || err != nil {
			t.Errorf("PidInTree(%d, %d): got %v, %v, want %v", tt.pid, tt.root, got, err, tt.want)
		}
	}
	st, err := ReadProcStat(gc)
	if err != nil || st.PPID != child || st.PGID != int32(syscall.Getpgrp()) {
		t.Errorf("ReadProcStat(grandchild): got %+v, %v, want parent %d, our group", st, err, child)
	}
	if _, err := PidInTree(1<<30, self); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("PidInTree(no such pid): got %v, want fs.ErrNotExist", err)
	}
}
