#include "textflag.h"

// COUNTW applies op (ADDW or SUBW) $1 to the int32 at sym, with an
// exclusive load and store retried until the store holds (no LSE
// atomics: ARMv8.0 has none). It uses R9 to R11.
#define COUNTW(op, sym) \
	MOVD	$sym(SB), R9; \
	LDAXRW	(R9), R10; \
	op	$1, R10; \
	STLXRW	R10, (R9), R11; \
	CBNZW	R11, -3(PC)

// func rawVfork(trap, a1, a2, a3 uintptr) (r1, errno uintptr)
//
// A clone or clone3 with CLONE_VM|CLONE_VFORK and no new stack: the child
// runs on the parent's stack until it execs or exits. On arm64 the return
// address lives in the link register, which each task keeps for itself, so
// unlike amd64 nothing needs saving around the call.
TEXT ·rawVfork(SB),NOSPLIT|NOFRAME,$0-48
	MOVD	a1+8(FP), R0
	MOVD	a2+16(FP), R1
	MOVD	a3+24(FP), R2
	MOVD	$0, R3
	MOVD	$0, R4
	MOVD	$0, R5
	MOVD	trap+0(FP), R8
	SVC
	CMN	$4095, R0
	BCC	vforkok
	MOVD	$-1, R4
	MOVD	R4, r1+32(FP)
	NEG	R0, R0
	MOVD	R0, errno+40(FP)
	RET
vforkok:
	MOVD	R0, r1+32(FP)
	MOVD	ZR, errno+40(FP)
	RET

// func rawSyscall6(trap, a1, a2, a3, a4, a5, a6 uintptr) (r1, errno uintptr)
//
// A system call that touches nothing of the Go runtime: safe in the child
// between clone and execve.
TEXT ·rawSyscall6(SB),NOSPLIT,$0-72
	MOVD	a1+8(FP), R0
	MOVD	a2+16(FP), R1
	MOVD	a3+24(FP), R2
	MOVD	a4+32(FP), R3
	MOVD	a5+40(FP), R4
	MOVD	a6+48(FP), R5
	MOVD	trap+0(FP), R8
	SVC
	CMN	$4095, R0
	BCC	sysok
	MOVD	$-1, R4
	MOVD	R4, r1+56(FP)
	NEG	R0, R0
	MOVD	R0, errno+64(FP)
	RET
sysok:
	MOVD	R0, r1+56(FP)
	MOVD	ZR, errno+64(FP)
	RET

// func catchHandler()
//
// tinit's signal handler (catch_linux.go), called by the kernel as
// void handler(int sig, siginfo_t *info, void *ctx) on the thread's
// signal stack, with every signal blocked, returning to catchRestorer
// through LR. It runs no Go code and touches no Go state but the catch*
// variables: it forwards sig through the relay pidfd when one is armed
// for it, marks it caught (forwarded or not) and writes to the eventfd
// that the reaper's loop reads; a SIGPIPE from tinit itself (its own
// write to a broken pipe) it leaves alone. The kernel restores every
// register at sigreturn, so any but LR may be used here. A forwarded
// signal wakes the loop only when catchWakeForwarded says so.
TEXT ·catchHandler(SB),NOSPLIT|NOFRAME,$0
	MOVD	R0, R12			// the signal
	CMP	$1, R12
	BLT	done
	CMP	$64, R12
	BGT	done
	CMP	$13, R12		// SIGPIPE
	BNE	caught
	MOVW	8(R1), R9		// si_code SI_USER: sent by a process,
	CBNZW	R9, caught
	MOVWU	16(R1), R9		// si_pid: tinit itself, as the kernel does
	MOVD	$·catchSelf(SB), R10	// for a write to a broken pipe
	MOVWU	(R10), R10
	CMPW	R9, R10
	BEQ	done
caught:
	COUNTW(ADDW, ·catchBusy)
	DMB	$0xb			// ish: catchCounted's loads come after the count
	B	·catchCounted(SB)
done:
	RET

// func catchCounted()
//
// The rest of catchHandler, as on amd64, for the signal in R12, which the
// caller has counted in catchBusy; it returns through LR.
TEXT ·catchCounted(SB),NOSPLIT|NOFRAME,$0
	MOVD	$·catchPidfd(SB), R9
	LDARW	(R9), R0
	TBNZ	$31, R0, notsent
	MOVD	$·catchTo(SB), R9
	MOVWU	(R9)(R12<<2), R1
	CBZW	R1, notsent
	MOVD	$·catchFlags(SB), R9
	MOVWU	(R9)(R12<<2), R3
	MOVD	$0, R2
	MOVD	$424, R8		// pidfd_send_signal(pidfd, to, NULL, flags)
	SVC
	CBNZ	R0, notsent
	MOVD	$·catchWakeForwarded(SB), R9
	MOVWU	(R9), R4
	MOVD	$·catchForwarded(SB), R9
	B	mark
notsent:
	MOVD	$·catchPending(SB), R9
	MOVD	$1, R4			// the loop must hear of it
mark:
	SUB	$1, R12, R13
	MOVD	$1, R10
	LSL	R13, R10, R10
markloop:
	LDAXR	(R9), R11
	ORR	R10, R11, R11
	STLXR	R11, (R9), R13
	CBNZW	R13, markloop
	COUNTW(SUBW, ·catchBusy)	// marked: the reader need not wait any more
	CBZW	R4, done
	COUNTW(ADDW, ·catchWaking)
	DMB	$0xb
	MOVD	$·catchWake(SB), R9
	LDARW	(R9), R0
	TBNZ	$31, R0, out
	MOVD	$·catchOne(SB), R1
	MOVD	$8, R2
	MOVD	$64, R8			// write(wake, &one, 8)
	SVC
out:
	COUNTW(SUBW, ·catchWaking)
done:
	RET

// func catchWaitLoop() (sig, errno uintptr)
//
// ServeSignals's wait, as on amd64: rt_sigtimedwait for catchSet, then,
// for a signal still in catchSet, counted in catchBusy before catchSet is
// read, catchCounted, and again. The frame is for the link register,
// which the call to catchCounted uses.
TEXT ·catchWaitLoop(SB),NOSPLIT,$16-16
again:
	MOVD	$·catchSet(SB), R0
	MOVD	$·catchWaitInfo(SB), R1
	MOVD	$0, R2			// no timeout
	MOVD	$8, R3
	MOVD	$137, R8		// rt_sigtimedwait(set, info, NULL, 8)
	SVC
	CMN	$4, R0			// EINTR
	BEQ	again
	CMN	$4095, R0
	BCC	got
	NEG	R0, R0
	MOVD	ZR, sig+0(FP)
	MOVD	R0, errno+8(FP)
	RET
got:
	MOVD	R0, sig+0(FP)
	MOVD	R0, R12
	COUNTW(ADDW, ·catchBusy)
	DMB	$0xb			// ish: catchSet is read after the count
	SUB	$1, R12, R9
	MOVD	$·catchSet(SB), R10
	LDAR	(R10), R10
	LSR	R9, R10, R10
	TBZ	$0, R10, given
	BL	·catchCounted(SB)
	B	again
given:
	COUNTW(SUBW, ·catchBusy)
	MOVD	ZR, errno+8(FP)
	RET

// func catchRestorer()
//
// Where catchHandler returns to: rt_sigreturn, given with SA_RESTORER
// as on amd64 (the kernel would otherwise use the vDSO's).
TEXT ·catchRestorer(SB),NOSPLIT|NOFRAME,$0
	MOVD	$139, R8		// rt_sigreturn
	SVC

// func catchAddrs() (handler, restorer uintptr)
TEXT ·catchAddrs(SB),NOSPLIT,$0-16
	MOVD	$·catchHandler(SB), R0
	MOVD	R0, handler+0(FP)
	MOVD	$·catchRestorer(SB), R0
	MOVD	R0, restorer+8(FP)
	RET
