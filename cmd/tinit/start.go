package main

import (
	"syscall"

	"golang.org/x/sys/unix"

	"github.com/tinit/tinit/reaper"
)

// Filled in by _rt0_tinit (entry_linux_*.s) before the runtime starts,
// when tinit is linked with -E=_rt0_tinit as the Makefile does.
var (
	startRecorded uint64
	startNofile   [2]uint64 // struct rlimit64: cur, max
	startIgnored  uint64    // bit s-1 set when signal s was SIG_IGN
	//lint:ignore U1000 written by the entry point (assembly)
	startSigaction [4]uint64 // scratch for rt_sigaction
)

// startState is what tinit was given by its parent and hands on to its
// children, as a C init that never changes it would.
type startState struct {
	recorded bool
	ignored  []syscall.Signal
	nofile   *unix.Rlimit // nil: leave as is
}

func readStartState() startState {
	if startRecorded == 0 {
		// Built without the entry point (go build, go install): the Go
		// runtime has already replaced most dispositions; keep what it
		// lets us know.
		return startState{ignored: reaper.InheritedIgnored()}
	}
	st := startState{recorded: true}
	for s := 1; s <= 64; s++ {
		if startIgnored&(1<<(s-1)) != 0 {
			st.ignored = append(st.ignored, syscall.Signal(s))
		}
	}
	var now unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_NOFILE, &now) == nil && now.Cur != startNofile[0] {
		st.nofile = &unix.Rlimit{Cur: startNofile[0], Max: startNofile[1]}
	}
	return st
}
