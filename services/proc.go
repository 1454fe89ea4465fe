package services

import (
	"context"
	"errors"
	"os"
	"syscall"
)

// Spawner creates processes for the supervisor. It is the only way the
// supervisor starts anything: cmd/tinit adapts package reaper to it, and
// the tests use a fake. Start may be called from several goroutines at
// once (the loop starts services, probes and hooks start helpers).
type Spawner interface {
	Start(ProcSpec) (Proc, error)
}

// Proc is a process started by a Spawner. Its exit must be learned from
// Done and Exit only: nothing else may wait for it.
type Proc interface {
	// Pid is the process id, for logs and for matching notifications.
	Pid() int
	// Done is closed when the process has ended.
	Done() <-chan struct{}
	// Exit is how the process ended; valid once Done is closed.
	Exit() ExitStatus
	// Signal sends sig to the process.
	Signal(sig Signal) error
	// SignalGroup sends sig to the process group the process leads (every
	// service is started in a session of its own), including its members
	// left behind once the leader itself has ended.
	SignalGroup(sig Signal) error
	// Close releases the process; an Autokill process still running is
	// killed. Close is idempotent.
	Close() error
}

// Stragglers stops the processes left below tinit at the end of a run,
// whoever started them.
type Stragglers interface {
	// StopDescendants sends sig to every process below tinit, and to each
	// one that comes below it later, until none is left or ctx ends, and
	// says how many it signalled.
	StopDescendants(ctx context.Context, sig Signal) (int, error)
}

// ProcRole says what a process is for.
type ProcRole int

// The roles of the processes the supervisor starts.
const (
	RoleService  ProcRole = iota // the service's own process
	RoleReady                    // a ready_command probe
	RoleHealth                   // a health check command
	RolePreStart                 // the pre_start hook
	RolePostStop                 // the post_stop hook
)

var procRoleNames = enum{"service", "ready probe", "health check", "pre_start hook", "post_stop hook"}

// String names the role: "service", "health check" ...
func (r ProcRole) String() string { return procRoleNames.name(int(r)) }

// ProcSpec describes a process to start. Every field has the meaning of
// the field of the same name in reaper.Spec; Path is already looked up in
// PATH.
type ProcSpec struct {
	Service string   // the service it belongs to, for messages
	Role    ProcRole // what it is for
	Path    string
	Args    []string
	Env     []string
	Dir     string

	Stdin, Stdout, Stderr *os.File
	ExtraFiles            []*os.File // fd 3, 4, ...; nil entries stay closed

	Setsid     bool
	Credential *Credential // nil keeps tinit's
	Umask      *Umask      // nil keeps tinit's
	Rlimits    []Rlimit
	NoNewPrivs bool
	Autokill   bool     // killed when tinit dies, or when Close is called
	Cgroup     *os.File // the cgroup directory the process is born in
}

// Credential is the identity a process runs as.
type Credential struct {
	UID, GID uint32
	// Groups are the supplementary groups; KeepGroups leaves tinit's.
	Groups     []uint32
	KeepGroups bool
}

// startFailure is what a spawner's error says about the program, as
// reaper.StartError does.
type startFailure interface {
	NotFound() bool
	NotExecutable() bool
}

// classifyStart says, as a shell would, why a program did not start: exit
// status 127 and "NAME: command not found" for a program not found, 126
// and "NAME: cannot execute: ERRNO" for one that cannot be executed,
// status 1 and the error as it is otherwise.
func classifyStart(name string, err error) (ExitStatus, string) {
	var sf startFailure
	var errno syscall.Errno
	switch {
	case errors.Is(err, errNotFound) || errors.As(err, &sf) && sf.NotFound():
		return ExitStatus{Code: 127}, name + ": command not found"
	case errors.Is(err, errNotExecutable):
		return ExitStatus{Code: 126}, name + ": cannot execute: " + syscall.EACCES.Error()
	case errors.As(err, &sf) && sf.NotExecutable():
		why := err.Error()
		if errors.As(err, &errno) {
			why = errno.Error()
		}
		return ExitStatus{Code: 126}, name + ": cannot execute: " + why
	}
	return ExitStatus{Code: 1}, err.Error()
}
