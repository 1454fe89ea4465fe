package notify

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
)

// ProcStat is a process's place in the process tree, as /proc/PID/stat
// tells it.
type ProcStat struct {
	PID     int32
	PPID    int32 // parent
	PGID    int32 // process group
	Session int32
}

// ReadProcStat reads /proc/PID/stat. A process that is gone gives an error
// wrapping fs.ErrNotExist.
func ReadProcStat(pid int32) (ProcStat, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(int(pid)) + "/stat")
	if err != nil {
		return ProcStat{}, err
	}
	st, err := parseProcStat(b)
	if err != nil {
		return ProcStat{}, fmt.Errorf("read stat of pid %d: %w", pid, err)
	}
	return st, nil
}

// parseProcStat parses "pid (comm) state ppid pgrp session ...". The
// command name may hold spaces and parentheses: it ends at the last ')'.
func parseProcStat(b []byte) (ProcStat, error) {
	open, end := bytes.IndexByte(b, '('), bytes.LastIndexByte(b, ')')
	if open < 1 || end < open {
		return ProcStat{}, errors.New("no (comm) field")
	}
	pid, err := strconv.ParseInt(string(bytes.TrimSpace(b[:open])), 10, 32)
	if err != nil {
		return ProcStat{}, fmt.Errorf("bad pid: %w", err)
	}
	f := bytes.Fields(b[end+1:]) // state ppid pgrp session ...
	if len(f) < 4 {
		return ProcStat{}, errors.New("too few fields")
	}
	st := ProcStat{PID: int32(pid)}
	for i, dst := range []*int32{&st.PPID, &st.PGID, &st.Session} {
		v, err := strconv.ParseInt(string(f[i+1]), 10, 32)
		if err != nil {
			return ProcStat{}, fmt.Errorf("bad field %d: %w", i+4, err)
		}
		*dst = int32(v)
	}
	return st, nil
}

// maxTreeDepth bounds the walk up the tree; pid_max is far smaller than any
// real chain of parents could need.
const maxTreeDepth = 1 << 16

// PidInTree says whether pid is root or a descendant of root, following
// parents up from pid. A descendant that was orphaned (reparented to init or
// a subreaper above root) is no longer found: match by cgroup when that
// matters. A pid that is gone gives an error wrapping fs.ErrNotExist.
func PidInTree(pid, root int32) (bool, error) {
	for range maxTreeDepth {
		if pid == root {
			return true, nil
		}
		if pid <= 1 {
			return false, nil
		}
		st, err := ReadProcStat(pid)
		if err != nil {
			return false, err
		}
		pid = st.PPID
	}
	return false, fmt.Errorf("walk parents of pid %d: deeper than %d", pid, maxTreeDepth)
}
