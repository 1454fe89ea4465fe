package reaper

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// newPlan returns an empty plan that is sure to live on the heap: the
// kernel writes the child's pidfd into it during clone3, and a plan on a
// goroutine stack may have moved by then (the stack grows), the write
// landing in a stale copy. Escape analysis alone keeps a plan that does
// not escape on the stack (the probe's did).
func newPlan() *plan {
	pl := &plan{pidfd: -1, umask: -1, cgroupFD: -1}
	pl.args.pidfd = uint64(uintptr(unsafe.Pointer(&pl.pidfd)))
	lastPlan.Store(pl)
	return pl
}

// lastPlan holds the last plan made, which makes every plan escape.
var lastPlan atomic.Pointer[plan]

// prepare turns a Spec into a plan: every string as a C string, every
// file as an fd number, the clone flags for the kernel's tier. Nothing
// here allocates after the plan is built.
func (r *Reaper) prepare(s *Spec) (*plan, error) {
	pl := newPlan()
	if err := pl.setProgram(s); err != nil {
		return nil, err
	}
	pl.setFiles(s, r.cloexecFDs)
	pl.useRange = r.feat.Has(CloseRange)
	pl.setsid, pl.setpgid, pl.pgid = s.Setsid, s.Setpgid, s.Pgid
	pl.setctty, pl.foreground, pl.ctty = s.Setctty, s.Foreground, s.Ctty
	if s.Umask != nil {
		pl.umask = int(*s.Umask & 0o777)
	}
	if len(s.Rlimits) > 0 {
		rl := append([]Rlimit(nil), s.Rlimits...)
		pl.rlimits, pl.nrlimits = &rl[0], len(rl)
		pl.keep = append(pl.keep, rl)
	}
	pl.setCredential(s.Credential)
	if err := pl.setSignals(s.Ignore, r.resetInChild()); err != nil {
		return nil, err
	}
	r.setClone(pl, s)
	return pl, nil
}

func (pl *plan) setProgram(s *Spec) error {
	if s.Path == "" {
		return errors.New("start: empty program path")
	}
	args := s.Args
	if len(args) == 0 {
		args = []string{s.Path}
	}
	path, err := syscall.BytePtrFromString(s.Path)
	if err != nil {
		return fmt.Errorf("start %q: path contains a NUL byte", s.Path)
	}
	argv, err := syscall.SlicePtrFromStrings(args)
	if err != nil {
		return fmt.Errorf("start %q: an argument contains a NUL byte", s.Path)
	}
	envv, err := syscall.SlicePtrFromStrings(s.Env)
	if err != nil {
		return fmt.Errorf("start %q: an environment entry contains a NUL byte", s.Path)
	}
	if s.PidEnv != "" {
		pl.setPidEnv(s.Env, envv, s.PidEnv)
	}
	pl.path, pl.argv, pl.envp = path, &argv[0], &envv[0]
	pl.keep = append(pl.keep, path, argv, envv)
	if s.Dir != "" {
		if pl.dir, err = syscall.BytePtrFromString(s.Dir); err != nil {
			return fmt.Errorf("start %q: directory %q contains a NUL byte", s.Path, s.Dir)
		}
		pl.chdir = true
		pl.keep = append(pl.keep, pl.dir)
	}
	return nil
}

// setPidEnv gives the first entry name= of env (the one getenv finds) a
// buffer of its own with room for any pid, for the child to fill in;
// later duplicates pass unchanged.
func (pl *plan) setPidEnv(env []string, envv []*byte, name string) {
	i := slices.IndexFunc(env, func(kv string) bool { return strings.HasPrefix(kv, name+"=") })
	if i < 0 {
		return
	}
	buf := make([]byte, len(name)+1+21)
	copy(buf, name+"=")
	envv[i] = &buf[0]
	pl.pidEnv = unsafe.Pointer(&buf[len(name)+1])
	pl.keep = append(pl.keep, buf)
}

func (pl *plan) setFiles(s *Spec, cloexec []int32) {
	files := append([]*os.File{s.Stdin, s.Stdout, s.Stderr}, s.ExtraFiles...)
	for len(files) > 0 && files[len(files)-1] == nil && len(files) > 3 {
		files = files[:len(files)-1]
	}
	fds := make([]int32, len(files))
	for i, f := range files {
		fds[i] = -1
		if f != nil {
			fds[i] = int32(f.Fd())
		}
	}
	pl.fds, pl.nfds = &fds[0], len(fds)
	pl.keep = append(pl.keep, fds, files)
	if len(cloexec) > 0 {
		pl.cloexec, pl.ncloexec = &cloexec[0], len(cloexec)
	}
}

func (pl *plan) setCredential(c *Credential) {
	if c == nil {
		return
	}
	pl.setCred = true
	pl.uid, pl.gid = uintptr(c.UID), uintptr(c.GID)
	pl.setGroups = !c.NoSetGroups
	if len(c.Groups) > 0 {
		groups := append([]uint32(nil), c.Groups...)
		pl.groups, pl.ngroups = &groups[0], len(groups)
		pl.keep = append(pl.keep, groups)
	}
}

// setSignals decides the child's dispositions: the asked signals ignored,
// and every signal that tinit itself ignores now reset to the default.
// So are the signals in reset (resetInChild).
func (pl *plan) setSignals(ignore []syscall.Signal, reset uint64) error {
	pl.actIgnore.handler = sigIGN
	pl.actDefault.handler = sigDFL
	for _, s := range ignore {
		if s < 1 || s > 64 || s == syscall.SIGKILL || s == syscall.SIGSTOP {
			return fmt.Errorf("start: cannot ignore signal %d", int(s))
		}
		pl.sigIgnore |= 1 << (s - 1)
	}
	pl.sigDefault = (ignoredNow() | reset) &^ pl.sigIgnore
	return nil
}

// ignoredNow is the set of signals tinit ignores: those the Go runtime
// reports ignored (signal.Ignore, or SIGHUP and SIGINT ignored at start),
// and the job-control signals the runtime never touches that were ignored
// when tinit started.
func ignoredNow() uint64 {
	set := ignoredAtStart & jobControl
	for s := 1; s <= 64; s++ {
		if signal.Ignored(syscall.Signal(s)) {
			set |= 1 << (s - 1)
		}
	}
	return set
}

const jobControl = 1<<(syscall.SIGCONT-1) | 1<<(syscall.SIGTSTP-1) | 1<<(syscall.SIGTTIN-1) | 1<<(syscall.SIGTTOU-1)

// ignoredAtStart is read in this package's init, before main can change
// any disposition.
var ignoredAtStart = kernelIgnored()

// kernelIgnored asks the kernel which signals are ignored now.
func kernelIgnored() uint64 {
	var set uint64
	for s := uintptr(1); s <= 64; s++ {
		var old sigaction
		_, _, e := unix.RawSyscall6(unix.SYS_RT_SIGACTION, s, 0, uintptr(unsafe.Pointer(&old)), 8, 0, 0)
		if e == 0 && old.handler == sigIGN {
			set |= 1 << (s - 1)
		}
	}
	return set
}

// InheritedIgnored returns the signals that were ignored when tinit
// started, as far as they can be known: SIGHUP, SIGINT and the job-control
// signals. (The Go runtime installs its own handler for the others at
// start, before any of tinit's code runs, and keeps no record.) A
// drop-in init passes them as Spec.Ignore, as tini keeps them ignored.
func InheritedIgnored() []syscall.Signal {
	var sigs []syscall.Signal
	known := ignoredAtStart&jobControl | ignoredAtStart&(1<<(syscall.SIGHUP-1)|1<<(syscall.SIGINT-1))
	for s := 1; s <= 64; s++ {
		if known&(1<<(s-1)) != 0 {
			sigs = append(sigs, syscall.Signal(s))
		}
	}
	return sigs
}

// threadMask is the signal mask of the calling thread. Every thread the
// Go runtime makes has the same one, the mask tinit started with less the
// signals the runtime must receive (os/signal's own thread aside, which
// runs nothing else).
func threadMask() uint64 {
	var mask unix.Sigset_t
	unix.PthreadSigmask(unix.SIG_BLOCK, nil, &mask)
	return mask.Val[0]
}

// resetInChild is the set of signals the child must reset itself besides
// those tinit ignores: without CLONE_CLEAR_SIGHAND, every signal, for any
// may have a handler (the Go runtime's, which has ~60, or the reaper's).
// That costs ~60 rt_sigactions, as the runtime's AfterForkInChild did.
func (r *Reaper) resetInChild() uint64 {
	if r.feat.Has(ClearSighand) {
		return 0
	}
	return allSignals
}

// allSignals has the bit of every signal whose disposition can be set.
const allSignals = ^uint64(0) &^ (1<<(syscall.SIGKILL-1) | 1<<(syscall.SIGSTOP-1))

// setClone picks clone3 or clone(2) and the flags for the kernel's tier.
func (r *Reaper) setClone(pl *plan, s *Spec) {
	flags := uint64(unix.CLONE_PIDFD | unix.CLONE_VM | unix.CLONE_VFORK)
	pl.useClone3 = r.feat.Has(Clone3)
	pl.mask = r.childMask
	if r.feat.Has(ClearSighand) {
		flags |= unix.CLONE_CLEAR_SIGHAND
	}
	if r.tier == TierAutoreap {
		flags |= unix.CLONE_AUTOREAP
	} else {
		pl.args.exitSignal = uint64(syscall.SIGCHLD)
	}
	if s.NoNewPrivs {
		if r.feat.Has(NNP) {
			flags |= unix.CLONE_NNP
		} else {
			pl.nnpPrctl = true
		}
	}
	if s.Autokill {
		r.setAutokill(pl, &flags)
	}
	if s.Cgroup != nil {
		if r.feat.Has(IntoCgroup) {
			flags |= unix.CLONE_INTO_CGROUP
			pl.args.cgroup = uint64(s.Cgroup.Fd())
		} else {
			pl.cgroupFD = int(s.Cgroup.Fd())
			pl.procsName, _ = syscall.BytePtrFromString("cgroup.procs")
			pl.procsValue, _ = syscall.BytePtrFromString("0")
			pl.keep = append(pl.keep, s.Cgroup, pl.procsName, pl.procsValue)
		}
	}
	pl.args.flags = flags
	pl.cloneFlags = uintptr(flags&0xffffffff) | uintptr(syscall.SIGCHLD)
}

// setAutokill ties the child to tinit: the kernel's CLONE_PIDFD_AUTOKILL
// where it has it (with CLONE_NNP when tinit lacks CAP_SYS_ADMIN),
// PR_SET_PDEATHSIG before (Close sends the SIGKILL itself).
func (r *Reaper) setAutokill(pl *plan, flags *uint64) {
	if r.tier == TierAutoreap && r.feat.Has(Autokill) {
		*flags |= unix.CLONE_PIDFD_AUTOKILL
		if r.feat.AutokillNeedsNNP {
			*flags |= unix.CLONE_NNP
			pl.nnpPrctl = false
		}
		return
	}
	pl.pdeathsig = true
	pl.parentPID = uintptr(os.Getpid())
}
