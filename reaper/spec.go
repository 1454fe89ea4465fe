package reaper

import (
	"os"
	"syscall"
)

// Spec describes a process to start. The zero value of every field means
// "as tinit has it", except the environment, which is exactly Env, and the
// open files, which are exactly Stdin, Stdout, Stderr and ExtraFiles.
type Spec struct {
	// Path is the program to execute. It is not looked up in PATH.
	Path string
	// Args is the argument vector, Args[0] included. Empty means [Path].
	Args []string
	// Env is the child's whole environment, exactly as given.
	Env []string
	// PidEnv names an Env variable (LISTEN_PID, for socket activation)
	// whose value the child replaces with its own pid before exec: in
	// the first entry of that name, the one getenv finds; later
	// duplicates pass unchanged. It is ignored when Env does not hold it.
	PidEnv string
	// Dir is the working directory; empty keeps tinit's. It is entered
	// after the credentials change, with the child's permissions.
	Dir string

	// Stdin, Stdout and Stderr become fds 0, 1 and 2; nil leaves the fd
	// closed. ExtraFiles become fds 3, 4, …; a nil entry leaves that fd
	// closed. Every other fd is closed in the child.
	Stdin, Stdout, Stderr *os.File
	ExtraFiles            []*os.File

	// Setsid starts a new session (and process group).
	Setsid bool
	// Setpgid puts the child in process group Pgid, or in a new group of
	// its own when Pgid is 0.
	Setpgid bool
	Pgid    int
	// Setctty makes the child fd Ctty the controlling terminal (needs
	// Setsid). Foreground makes the child's process group the foreground
	// group of the terminal on child fd Ctty.
	Setctty    bool
	Foreground bool
	Ctty       int

	// Credential, when set, changes user and groups: setgroups, then the
	// gid, then the uid.
	Credential *Credential
	// Umask, when set, is the child's file mode creation mask.
	Umask *uint32
	// Rlimits are applied in order, before the credentials change.
	Rlimits []Rlimit
	// Ignore lists the signals that the child starts with ignored. Every
	// other signal starts with its default action, whatever tinit does
	// with it.
	Ignore []syscall.Signal

	// NoNewPrivs sets no_new_privs in the child (CLONE_NNP or prctl).
	NoNewPrivs bool
	// Autokill ties the child's life to tinit's and to this Process: it
	// is killed when tinit dies and when Close is called while it runs.
	// On Linux 7.1+ the kernel does both (CLONE_PIDFD_AUTOKILL, which
	// adds CLONE_NNP when tinit lacks CAP_SYS_ADMIN); before, tinit uses
	// PR_SET_PDEATHSIG and a SIGKILL from Close.
	Autokill bool
	// Cgroup, when set, is an open cgroup v2 directory that the child is
	// born in (CLONE_INTO_CGROUP, or a write to cgroup.procs before exec
	// where clone3 cannot do it).
	Cgroup *os.File
}

// Credential is the identity a child runs as.
type Credential struct {
	UID, GID uint32
	// Groups are the supplementary groups, exactly as given (empty drops
	// them all) unless NoSetGroups keeps tinit's.
	Groups      []uint32
	NoSetGroups bool
}

// Rlimit is one resource limit: Resource is an RLIMIT_* number.
type Rlimit struct {
	Resource int
	Cur, Max uint64
}
