package testhelper

import (
	"fmt"
	"runtime"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Refusal makes one system call fail with Errno, as a kernel without it
// or a container runtime's seccomp profile does. Arg0Bits or Arg0Is
// limit it to calls whose first argument (its low 32 bits) has one of
// those bits (clone(2)'s flags) or is that value (waitid's idtype).
type Refusal struct {
	Nr       uintptr
	Arg0Bits uint32
	Arg0Is   uint32
	Errno    syscall.Errno
}

// Refusals are the named sets of refusals the tests run under.
var Refusals = map[string][]Refusal{
	// Docker's default seccomp profile before 20.10.10 refused clone3
	// with EPERM, which C libraries did not take as a reason to fall back.
	"clone3-eperm": {{Nr: unix.SYS_CLONE3, Errno: unix.EPERM}},
	// Later profiles, and kernels before 5.3: ENOSYS.
	"clone3-enosys": {{Nr: unix.SYS_CLONE3, Errno: unix.ENOSYS}},
	// No clone3, and clone(2) refusing CLONE_PIDFD: no child with a pidfd
	// at all. (A kernel before 5.2 ignores the flag instead; it also
	// lacks waitid(P_PIDFD), which the next set stands for.)
	"no-pidfd": {
		{Nr: unix.SYS_CLONE3, Errno: unix.ENOSYS},
		{Nr: unix.SYS_CLONE, Arg0Bits: unix.CLONE_PIDFD, Errno: unix.EINVAL},
	},
	// A kernel before 5.4: waitid knows no P_PIDFD.
	"no-waitid-pidfd": {{Nr: unix.SYS_WAITID, Arg0Is: unix.P_PIDFD, Errno: unix.EINVAL}},
}

// Offsets into the kernel's struct seccomp_data.
const (
	seccompNr   = 0
	seccompArch = 4
	seccompArg0 = 16 // the low half of args[0] (little-endian)
)

// Refuse installs a seccomp filter on every thread of this process (and
// so on every child it starts) that makes the calls in rs fail. It sets
// no_new_privs first, which the kernel asks of a filter.
func Refuse(rs ...Refusal) error {
	var arch uint32
	switch runtime.GOARCH {
	case "amd64":
		arch = unix.AUDIT_ARCH_X86_64
	case "arm64":
		arch = unix.AUDIT_ARCH_AARCH64
	default:
		return fmt.Errorf("seccomp: no audit arch for %s", runtime.GOARCH)
	}
	stmt := func(code uint16, k uint32) unix.SockFilter { return unix.SockFilter{Code: code, K: k} }
	jump := func(code uint16, k uint32, jt, jf uint8) unix.SockFilter {
		return unix.SockFilter{Code: code, Jt: jt, Jf: jf, K: k}
	}
	const (
		load  = unix.BPF_LD | unix.BPF_W | unix.BPF_ABS
		ret   = unix.BPF_RET | unix.BPF_K
		jeq   = unix.BPF_JMP | unix.BPF_JEQ | unix.BPF_K
		jset  = unix.BPF_JMP | unix.BPF_JSET | unix.BPF_K
		allow = unix.SECCOMP_RET_ALLOW
	)
	prog := []unix.SockFilter{
		stmt(load, seccompArch),
		jump(jeq, arch, 1, 0),
		stmt(ret, allow), // another ABI: not ours to judge
		stmt(load, seccompNr),
	}
	for _, r := range rs {
		fail := stmt(ret, unix.SECCOMP_RET_ERRNO|uint32(r.Errno))
		test := jump(jset, r.Arg0Bits, 0, 1)
		switch {
		case r.Arg0Is != 0:
			test = jump(jeq, r.Arg0Is, 0, 1)
		case r.Arg0Bits == 0:
			prog = append(prog, jump(jeq, uint32(r.Nr), 0, 1), fail)
			continue
		}
		// Another call skips the four that test its first argument; one
		// whose argument does not match falls through to the reload of
		// the number.
		prog = append(prog,
			jump(jeq, uint32(r.Nr), 0, 4),
			stmt(load, seccompArg0),
			test,
			fail,
			stmt(load, seccompNr),
		)
	}
	prog = append(prog, stmt(ret, allow))
	fprog := unix.SockFprog{Len: uint16(len(prog)), Filter: &prog[0]}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_NO_NEW_PRIVS): %w", err)
	}
	tid, _, e := unix.RawSyscall(unix.SYS_SECCOMP, unix.SECCOMP_SET_MODE_FILTER,
		unix.SECCOMP_FILTER_FLAG_TSYNC, uintptr(unsafe.Pointer(&fprog)))
	runtime.KeepAlive(prog)
	switch {
	case e != 0:
		return fmt.Errorf("seccomp(SECCOMP_SET_MODE_FILTER): %w", e)
	case tid != 0: // TSYNC names the thread it could not bring along
		return fmt.Errorf("seccomp(SECCOMP_SET_MODE_FILTER): thread %d kept its own filter", tid)
	}
	return nil
}
