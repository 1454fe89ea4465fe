package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

// initProg is one init under test.
type initProg struct {
	name string
	path string
	// args go between the init and the child's command line.
	args []string
	// timed: also in the latency and orphan runs (tini-static is tini's
	// code again; it is measured for memory and size only).
	timed bool
}

// contestants are the inits, tinit first; tini is the reference.
// go-minimal (bench/goinit) and c-handler (bench/c/handlerinit.c) are no
// contestants but references: what any Go init pays for the Go runtime,
// and what forwarding from a signal handler, as tinit does, costs in C.
func contestants(tinit, goinit, handlerinit string) []initProg {
	return []initProg{
		{name: "tinit", path: tinit, args: []string{"--"}, timed: true},
		{name: "go-minimal", path: goinit, timed: true},
		{name: "c-handler", path: handlerinit, args: []string{"--"}, timed: true},
		{name: "tini", path: "/usr/bin/tini", args: []string{"--"}, timed: true},
		{name: "tini-static", path: "/usr/bin/tini-static", args: []string{"--"}},
		{name: "dumb-init", path: "/usr/bin/dumb-init", args: []string{"--"}, timed: true},
		{name: "catatonit", path: "/usr/bin/catatonit", args: []string{"--"}, timed: true},
	}
}

const reference = "tini"

func (p initProg) String() string { return p.name }

// argv is the init's command line running child.
func (p initProg) argv(child ...string) []string {
	return append(append([]string{p.path}, p.args...), child...)
}

// timedOnly keeps the inits of the latency and orphan runs.
func timedOnly(ps []initProg) []initProg {
	var out []initProg
	for _, p := range ps {
		if p.timed {
			out = append(out, p)
		}
	}
	return out
}

// checkInstalled fails when one of the inits is missing.
func checkInstalled(ps []initProg) error {
	for _, p := range ps {
		if _, err := os.Stat(p.path); err != nil {
			return fmt.Errorf("find %s: %w (bench/run.sh installs it)", p.name, err)
		}
	}
	return nil
}

// pid1Command runs the init with child as PID 1 of a new PID namespace
// with a /proc of its own, as a container runtime would: `unshare --pid
// --fork --mount-proc`. The init is unshare's only child; both die with
// this program.
func pid1Command(p initProg, child ...string) *exec.Cmd {
	argv := append([]string{"unshare", "--pid", "--fork", "--mount-proc", "--kill-child"}, p.argv(child...)...)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	return cmd
}

// rotate returns ps starting at the i-th (mod len): each round starts
// with another init, so none always runs first or after the same one.
func rotate[T any](ps []T, i int) []T {
	k := i % len(ps)
	return append(append([]T{}, ps[k:]...), ps[:k]...)
}
