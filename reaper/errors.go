package reaper

import (
	"errors"
	"fmt"
	"syscall"
)

// ErrProcessDone is returned when signalling a process that has ended.
var ErrProcessDone = errors.New("process already finished")

// ErrClosed is returned when using a Process or Reaper after Close.
var ErrClosed = errors.New("use of closed reaper object")

// Stage is the step of starting a child at which it failed.
type Stage uint8

// The stages of a child between clone and execve, in the order it runs them.
const (
	stageNone Stage = iota
	StageCgroup
	StageSetsid
	StageSetpgid
	StageFiles
	StageSetctty
	StageForeground
	StageRlimit
	StageSetgroups
	StageSetgid
	StageSetuid
	StageChdir
	StageParentDeath
	StageNoNewPrivs
	StageSignals
	StageExec
)

var stageNames = [...]string{
	stageNone:        "none",
	StageCgroup:      "join cgroup",
	StageSetsid:      "setsid",
	StageSetpgid:     "setpgid",
	StageFiles:       "set up fds",
	StageSetctty:     "set controlling terminal",
	StageForeground:  "tcsetpgrp",
	StageRlimit:      "setrlimit",
	StageSetgroups:   "setgroups",
	StageSetgid:      "setgid",
	StageSetuid:      "setuid",
	StageChdir:       "chdir",
	StageParentDeath: "set parent-death signal",
	StageNoNewPrivs:  "set no_new_privs",
	StageSignals:     "reset signals",
	StageExec:        "execve",
}

func (s Stage) String() string {
	if int(s) < len(stageNames) {
		return stageNames[s]
	}
	return fmt.Sprintf("stage(%d)", uint8(s))
}

// StartError reports a child that could not be started: which step
// failed and why. errors.Is works on the errno: a missing program matches
// fs.ErrNotExist, a forbidden one fs.ErrPermission.
type StartError struct {
	Path  string
	Stage Stage
	Err   syscall.Errno
}

func (e *StartError) Error() string {
	return fmt.Sprintf("start %q: %v: %v", e.Path, e.Stage, e.Err)
}

func (e *StartError) Unwrap() error { return e.Err }

// NotFound reports whether the program (or its interpreter) does not
// exist: a shell's exit code 127.
func (e *StartError) NotFound() bool {
	return e.Stage == StageExec && e.Err == syscall.ENOENT
}

// NotExecutable reports whether the program exists but cannot be run: a
// shell's exit code 126.
func (e *StartError) NotExecutable() bool {
	return e.Stage == StageExec && !e.NotFound()
}
