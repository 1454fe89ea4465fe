package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// idleResult is one init's state over an idle window.
type idleResult struct {
	switches      int // context switches of all its threads in the window
	threads       int
	rssKB, anonKB int // VmRSS and RssAnon at the end
	fileKB, shmKB int // RssFile and RssShmem at the end
}

// measureIdle starts every init at once, each as PID 1 of its own PID
// namespace (pid1Command) with child (bench/c/sigchild, which blocks
// forever) under it, waits until each child runs, lets settle pass, then
// counts each init's context switches over window and reads its memory.
func measureIdle(ps []initProg, child string, settle, window time.Duration) (map[string]idleResult, error) {
	cmds := map[string]*exec.Cmd{}
	defer stopAll(cmds)
	outs := map[string]*os.File{}
	for _, p := range ps {
		cmd := pid1Command(p, child)
		out, err := cmd.StdoutPipe()
		if err != nil {
			return nil, err
		}
		if err := cmd.Start(); err != nil {
			return nil, fmt.Errorf("start %s: %w", p.name, err)
		}
		cmds[p.name], outs[p.name] = cmd, out.(*os.File)
	}
	pids := map[string]int{}
	for _, p := range ps {
		pid, err := initPid(cmds[p.name].Process.Pid, outs[p.name])
		if err != nil {
			return nil, fmt.Errorf("idle %s: %w", p.name, err)
		}
		pids[p.name] = pid
	}
	// The idle window is the measurement itself: there is no event to
	// wait for, only time to let pass (first settle, for start-up work to
	// end).
	time.Sleep(settle)
	before := map[string]int{}
	for _, p := range ps {
		before[p.name], _ = switches(pids[p.name])
	}
	time.Sleep(window)
	res := map[string]idleResult{}
	for _, p := range ps {
		r, err := idleState(pids[p.name])
		if err != nil {
			return nil, fmt.Errorf("idle %s: %w", p.name, err)
		}
		r.switches -= before[p.name]
		res[p.name] = r
	}
	return res, nil
}

func stopAll(cmds map[string]*exec.Cmd) {
	for _, cmd := range cmds {
		cmd.Process.Kill()
		cmd.Wait()
	}
}

// initPid waits for the ready record that sigchild writes to out once it
// runs under the init, then returns the init's pid: the one child of
// launcher (unshare --fork).
func initPid(launcher int, out *os.File) (int, error) {
	out.SetReadDeadline(time.Now().Add(10 * time.Second))
	var rec [16]byte // nanoseconds and CPU
	if _, err := io.ReadFull(out, rec[:]); err != nil {
		return 0, fmt.Errorf("no ready record from the child: %w", err)
	}
	kids := childrenOf(launcher)
	if len(kids) != 1 {
		return 0, fmt.Errorf("unshare (pid %d) has children %v, want the init alone", launcher, kids)
	}
	return kids[0], nil
}

// childrenOf lists pid's children, from every thread's children file.
func childrenOf(pid int) []int {
	files, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	var kids []int
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, s := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(s); err == nil {
				kids = append(kids, n)
			}
		}
	}
	return kids
}

// switches sums voluntary and involuntary context switches over every
// thread of pid (/proc/PID/status counts the main thread only).
func switches(pid int) (sum, threads int) {
	files, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/status", pid))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the thread exited
		}
		s := string(b)
		sum += statusInt(s, "voluntary_ctxt_switches") + statusInt(s, "nonvoluntary_ctxt_switches")
		threads++
	}
	return sum, threads
}

// idleState reads pid's switches, threads and memory.
func idleState(pid int) (idleResult, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return idleResult{}, err
	}
	s := string(b)
	var r idleResult
	r.switches, r.threads = switches(pid)
	r.rssKB = statusInt(s, "VmRSS")
	r.anonKB = statusInt(s, "RssAnon")
	r.fileKB = statusInt(s, "RssFile")
	r.shmKB = statusInt(s, "RssShmem")
	return r, nil
}

// statusInt is the leading number of a /proc status field, 0 if absent.
func statusInt(status, key string) int {
	for _, line := range strings.Split(status, "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			f := strings.Fields(v)
			if len(f) > 0 {
				n, _ := strconv.Atoi(f[0])
				return n
			}
		}
	}
	return 0
}
