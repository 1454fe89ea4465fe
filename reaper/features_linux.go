package reaper

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

// Feature is one kernel capability that tinit probes for.
type Feature uint16

// The features, each with the first Linux release that has it. They are
// probed by trying the real call, never by comparing versions.
const (
	Clone3           Feature = 1 << iota // clone3(2), 5.3; seccomp filters may refuse it
	ClearSighand                         // CLONE_CLEAR_SIGHAND, 5.5
	IntoCgroup                           // CLONE_INTO_CGROUP, 5.7
	CloseRange                           // close_range(CLOSE_RANGE_CLOEXEC), 5.11
	PidfdGroupSignal                     // pidfd_send_signal(PIDFD_SIGNAL_PROCESS_GROUP), 6.9
	PidfdExitInfo                        // ioctl(PIDFD_GET_INFO) with PIDFD_INFO_EXIT, 6.15
	Autoreap                             // CLONE_AUTOREAP, 7.1
	NNP                                  // CLONE_NNP, 7.1
	Autokill                             // CLONE_PIDFD_AUTOKILL, 7.1
	numFeatures      = iota
)

var featureNames = [numFeatures]string{
	"clone3", "clear_sighand", "into_cgroup", "close_range", "pidfd_pgrp",
	"pidfd_exit", "autoreap", "nnp", "autokill",
}

// firstKernel says which kernel lets each fallback go.
var firstKernel = [numFeatures]string{
	"5.3", "5.5", "5.7", "5.11", "6.9", "6.15", "7.1", "7.1", "7.1",
}

func (f Feature) index() int {
	for i := 0; i < numFeatures; i++ {
		if f == 1<<i {
			return i
		}
	}
	return -1
}

func (f Feature) String() string {
	if i := f.index(); i >= 0 {
		return featureNames[i]
	}
	return fmt.Sprintf("feature(%#x)", uint16(f))
}

// ParseFeature returns the feature named s (as Feature.String prints it).
func ParseFeature(s string) (Feature, error) {
	for i, n := range featureNames {
		if n == s {
			return 1 << i, nil
		}
	}
	return 0, fmt.Errorf("unknown kernel feature %q (known: %s)", s, strings.Join(featureNames[:], ", "))
}

// Tier is how tinit creates children and learns of their exits.
type Tier uint8

const (
	// TierPidfd: children are CLONE_PIDFD with SIGCHLD; the one reaper
	// loop reaps them and routes their statuses (Linux 5.4+: pidfd_open
	// and waitid(P_PIDFD)).
	TierPidfd Tier = iota
	// TierAutoreap: children are CLONE_PIDFD|CLONE_AUTOREAP; their exits
	// come from their pidfds and the reaper loop never sees them (7.1+).
	TierAutoreap
)

func (t Tier) String() string {
	if t == TierAutoreap {
		return "autoreap"
	}
	return "pidfd"
}

// Features is what the running kernel can do, as probed once.
type Features struct {
	have Feature
	why  [numFeatures]string
	// AutokillNeedsNNP is set when CLONE_PIDFD_AUTOKILL is refused
	// without CLONE_NNP (tinit lacks CAP_SYS_ADMIN).
	AutokillNeedsNNP bool
	// Release is the kernel release, for the start-up line only.
	Release string
	// unusable says why tinit can create or wait for no child at all:
	// no waitid(P_PIDFD) (before Linux 5.4), or neither clone3 nor
	// clone(2) gives a pidfd.
	unusable error
}

// Has reports whether the kernel has feature f.
func (fs *Features) Has(f Feature) bool { return fs.have&f != 0 }

// Tier is the tier these features give.
func (fs *Features) Tier() Tier {
	if fs.Has(Autoreap) && fs.Has(PidfdExitInfo) {
		return TierAutoreap
	}
	return TierPidfd
}

// Why says why feature f is missing ("" when present).
func (fs *Features) Why(f Feature) string {
	if fs.Has(f) {
		return ""
	}
	return fs.why[f.index()]
}

func (fs *Features) set(f Feature, err error) {
	if err == nil {
		fs.have |= f
		return
	}
	fs.have &^= f
	fs.why[f.index()] = err.Error()
}

// clone3Flags are the features that are flags of clone3 alone: without
// clone3, none of them is there.
var clone3Flags = []Feature{ClearSighand, IntoCgroup, Autoreap, NNP, Autokill}

// disable turns off the features d (Options.Disable), and with clone3
// those that only clone3 offers.
func (fs *Features) disable(d Feature) {
	for i := 0; i < numFeatures; i++ {
		if f := Feature(1 << i); d&f != 0 {
			fs.set(f, errors.New("disabled"))
		}
	}
	if d&Clone3 == 0 {
		return
	}
	for _, f := range clone3Flags {
		if fs.Has(f) {
			fs.set(f, errors.New("disabled with clone3"))
		}
	}
}

// String is the one-line probe report of tinit's start-up line, e.g.
//
//	linux 6.18.4: tier pidfd; clone3 clear_sighand …; no autoreap (clone3: invalid argument; needs 7.1)
func (fs *Features) String() string {
	var have, missing []string
	for i := 0; i < numFeatures; i++ {
		f := Feature(1 << i)
		switch {
		case fs.Has(f) && f == Autokill && fs.AutokillNeedsNNP:
			have = append(have, "autokill(+nnp)")
		case fs.Has(f):
			have = append(have, f.String())
		default:
			missing = append(missing, fmt.Sprintf("%v (%s; needs %s)", f, fs.why[i], firstKernel[i]))
		}
	}
	s := fmt.Sprintf("linux %s: tier %v; %s", fs.Release, fs.Tier(), strings.Join(have, " "))
	if len(missing) > 0 {
		s += "; no " + strings.Join(missing, ", no ")
	}
	if fs.unusable != nil {
		s += "; tinit cannot run here: " + fs.unusable.Error()
	}
	return s
}

var (
	probeOnce sync.Once
	probed    Features
)

// Probe returns the kernel's features, probing them on the first call by
// starting a few children that exit at once. Call it before a Reaper runs
// or through Reaper.Features.
func Probe() Features {
	probeOnce.Do(func() { probed = probe() })
	return probed
}

func probe() Features {
	var fs Features
	var uts unix.Utsname
	if unix.Uname(&uts) == nil {
		fs.Release = unix.ByteSliceToString(uts.Release[:])
	}
	fs.set(CloseRange, probeCloseRange())
	fs.set(PidfdGroupSignal, probeGroupSignal())
	if err := probeWaitPidfd(); err != nil {
		// Every probe below waits for a child through its pidfd: none
		// is started, for none could be reaped.
		for _, f := range []Feature{Clone3, ClearSighand, IntoCgroup, Autoreap, NNP, Autokill, PidfdExitInfo} {
			fs.set(f, errors.New("not probed: no waitid(P_PIDFD)"))
		}
		fs.unusable = fmt.Errorf("this kernel cannot wait for a child through its pidfd (%v); tinit needs Linux 5.4 or later", err)
		return fs
	}
	fs.set(Clone3, probeClone(unix.CLONE_PIDFD, true))
	if !fs.Has(Clone3) {
		for _, f := range clone3Flags {
			fs.set(f, errors.New("no clone3"))
		}
		if err := probeSpawn(unix.CLONE_PIDFD, true, false); err != nil { // what Start falls back to
			fs.unusable = fmt.Errorf("this kernel can create no child with a pidfd (%s; %v); tinit needs Linux 5.4 or later", fs.why[0], err)
		}
	} else {
		fs.set(ClearSighand, probeClone(unix.CLONE_PIDFD|unix.CLONE_CLEAR_SIGHAND, true))
		fs.set(IntoCgroup, probeIntoCgroup())
		fs.set(Autoreap, probeClone(unix.CLONE_PIDFD|unix.CLONE_AUTOREAP, false))
		fs.set(NNP, probeClone(unix.CLONE_PIDFD|unix.CLONE_NNP, true))
		fs.probeAutokill()
	}
	fs.set(PidfdExitInfo, probeExitInfo(fs.Has(Clone3)))
	return fs
}

// probeChild starts a child that exits at once, with clone3 and flags,
// or with clone(2) when useClone3 is false; it returns the child's pidfd.
func probeChild(flags uint64, sigchld, useClone3 bool) (int, error) {
	pl := newPlan()
	pl.useClone3, pl.probeOnly = useClone3, true
	pl.args.flags = flags | unix.CLONE_VM | unix.CLONE_VFORK
	pl.cloneFlags = uintptr(flags | unix.CLONE_VM | unix.CLONE_VFORK)
	if sigchld {
		pl.args.exitSignal = uint64(syscall.SIGCHLD)
		pl.cloneFlags |= uintptr(syscall.SIGCHLD)
	}
	if _, err := spawn(pl); err != nil {
		return -1, err
	}
	return int(pl.pidfd), nil
}

// probeClone starts a child with clone3 flags that exits at once and
// waits for it.
func probeClone(flags uint64, sigchld bool) error { return probeSpawn(flags, sigchld, true) }

// probeSpawn starts a child that exits at once, with clone3 or, when
// useClone3 is false, clone(2), and waits for it: with SIGCHLD through
// waitid(P_PIDFD), without through its pidfd's exit information.
func probeSpawn(flags uint64, sigchld, useClone3 bool) error {
	pidfd, err := probeChild(flags, sigchld, useClone3)
	if err != nil {
		return err
	}
	defer unix.Close(pidfd)
	if sigchld {
		return waitPidfd(pidfd)
	}
	_, err = waitExitInfo(pidfd)
	return err
}

func waitPidfd(pidfd int) error {
	return os.NewSyscallError("waitid", ignoringEINTR(func() error {
		return unix.Waitid(unix.P_PIDFD, pidfd, nil, unix.WEXITED, nil)
	}))
}

// probeWaitPidfd asks waitid(P_PIDFD) about an fd that cannot be open: a
// kernel that knows P_PIDFD (5.4) fails with EBADF, one that does not with
// EINVAL. Asked first, it keeps the probes from starting children that
// only a pidfd wait would reap.
func probeWaitPidfd() error {
	err := unix.Waitid(unix.P_PIDFD, 1<<31-1, nil, unix.WEXITED, nil)
	if errors.Is(err, unix.EBADF) {
		return nil
	}
	if err == nil { // cannot happen
		return errors.New("waitid(P_PIDFD) accepted fd 2147483647")
	}
	return os.NewSyscallError("waitid(P_PIDFD)", err)
}

// probeIntoCgroup asks for CLONE_INTO_CGROUP with an fd that cannot be
// open: a kernel that knows the flag fails with EBADF before creating a
// child, one that does not with EINVAL.
func probeIntoCgroup() error {
	pl := newPlan()
	pl.useClone3, pl.probeOnly = true, true
	pl.args.flags = unix.CLONE_PIDFD | unix.CLONE_VM | unix.CLONE_VFORK | unix.CLONE_INTO_CGROUP
	pl.args.exitSignal = uint64(syscall.SIGCHLD)
	pl.args.cgroup = 1<<31 - 1
	_, err := spawn(pl)
	if errors.Is(err, unix.EBADF) {
		return nil
	}
	if err == nil { // cannot happen; do not leave the child behind
		waitPidfd(int(pl.pidfd))
		unix.Close(int(pl.pidfd))
		return errors.New("fd 2147483647 accepted as a cgroup")
	}
	return err
}

func (fs *Features) probeAutokill() {
	const base = unix.CLONE_PIDFD | unix.CLONE_AUTOREAP | unix.CLONE_PIDFD_AUTOKILL
	err := probeClone(base, false)
	if errors.Is(err, unix.EPERM) && fs.Has(NNP) {
		if err = probeClone(base|unix.CLONE_NNP, false); err == nil {
			fs.AutokillNeedsNNP = true
		}
	}
	fs.set(Autokill, err)
}

func probeCloseRange() error {
	return os.NewSyscallError("close_range", unix.CloseRange(^uint(0)>>32, ^uint(0)>>32, unix.CLOSE_RANGE_CLOEXEC))
}

// probeGroupSignal sends signal 0 (a permission check) through a pidfd to
// the process group that tinit leads. A kernel without the flag says
// EINVAL; ESRCH only means that tinit leads no group.
func probeGroupSignal() error {
	fd, err := unix.PidfdOpen(os.Getpid(), 0)
	if err != nil {
		return os.NewSyscallError("pidfd_open", err)
	}
	defer unix.Close(fd)
	err = unix.PidfdSendSignal(fd, 0, nil, unix.PIDFD_SIGNAL_PROCESS_GROUP)
	if err == unix.ESRCH {
		return nil
	}
	return os.NewSyscallError("pidfd_send_signal", err)
}

// probeExitInfo reaps a child and then asks its pidfd for the exit
// information, which kernels since 6.15 keep after the reap.
func probeExitInfo(useClone3 bool) error {
	pidfd, err := probeChild(unix.CLONE_PIDFD, true, useClone3)
	if err != nil {
		return err
	}
	defer unix.Close(pidfd)
	if err := waitPidfd(pidfd); err != nil {
		return err
	}
	_, err = exitInfo(pidfd)
	return err
}
