#include "textflag.h"

// func rawVfork(trap, a1, a2, a3 uintptr) (r1, errno uintptr)
//
// A clone or clone3 with CLONE_VM|CLONE_VFORK and no new stack: the child
// runs on the parent's stack until it execs or exits, and the parent is
// suspended meanwhile. The child's first RET would pop the return address
// from memory it shares with the parent, and its later calls overwrite that
// slot; so the address is popped into R12 (each task keeps its own
// registers) before the syscall and pushed back after it.
TEXT ·rawVfork(SB),NOSPLIT|NOFRAME,$0-48
	MOVQ	a1+8(FP), DI
	MOVQ	a2+16(FP), SI
	MOVQ	a3+24(FP), DX
	MOVQ	$0, R10
	MOVQ	$0, R8
	MOVQ	$0, R9
	MOVQ	trap+0(FP), AX
	POPQ	R12
	SYSCALL
	PUSHQ	R12
	CMPQ	AX, $0xfffffffffffff001
	JLS	vforkok
	MOVQ	$-1, r1+32(FP)
	NEGQ	AX
	MOVQ	AX, errno+40(FP)
	RET
vforkok:
	MOVQ	AX, r1+32(FP)
	MOVQ	$0, errno+40(FP)
	RET

// func rawSyscall6(trap, a1, a2, a3, a4, a5, a6 uintptr) (r1, errno uintptr)
//
// A system call that touches nothing of the Go runtime: safe in the child
// between clone and execve.
TEXT ·rawSyscall6(SB),NOSPLIT,$0-72
	MOVQ	a1+8(FP), DI
	MOVQ	a2+16(FP), SI
	MOVQ	a3+24(FP), DX
	MOVQ	a4+32(FP), R10
	MOVQ	a5+40(FP), R8
	MOVQ	a6+48(FP), R9
	MOVQ	trap+0(FP), AX
	SYSCALL
	CMPQ	AX, $0xfffffffffffff001
	JLS	sysok
	MOVQ	$-1, r1+56(FP)
	NEGQ	AX
	MOVQ	AX, errno+64(FP)
	RET
sysok:
	MOVQ	AX, r1+56(FP)
	MOVQ	$0, errno+64(FP)
	RET

// func catchHandler()
//
// tinit's signal handler (catch_linux.go), called by the kernel as
// void handler(int sig, siginfo_t *info, void *ctx) on the thread's
// signal stack, with every signal blocked. It runs no Go code and touches
// no Go state but the catch* variables: it forwards sig through the relay
// pidfd when one is armed for it, marks it caught (forwarded or not) and
// writes to the eventfd that the reaper's loop reads; a SIGPIPE from
// tinit itself (its own write to a broken pipe) it leaves alone. The
// kernel restores every register at sigreturn, so any may be used here.
// A forwarded signal wakes the loop only when catchWakeForwarded says so.
TEXT ·catchHandler(SB),NOSPLIT|NOFRAME,$0
	MOVQ	DI, R12			// the signal
	CMPQ	R12, $1
	JLT	done
	CMPQ	R12, $64
	JGT	done
	CMPQ	R12, $13		// SIGPIPE
	JNE	caught
	CMPL	8(SI), $0		// si_code SI_USER: sent by a process,
	JNE	caught
	MOVL	16(SI), AX		// si_pid: tinit itself, as the kernel does
	CMPL	AX, ·catchSelf(SB)	// for a write to a broken pipe
	JEQ	done
caught:
	MOVL	$1, AX
	LOCK
	XADDL	AX, ·catchBusy(SB)	// a full barrier: catchCounted's loads come after it
	JMP	·catchCounted(SB)
done:
	RET

// func catchCounted()
//
// The rest of catchHandler, for the signal in R12, which the caller has
// counted in catchBusy: forward, mark (and count out), wake the loop. It
// returns to whoever called catchHandler, or to catchWaitLoop.
TEXT ·catchCounted(SB),NOSPLIT|NOFRAME,$0
	MOVL	·catchPidfd(SB), DI
	TESTL	DI, DI
	JS	notsent
	LEAQ	·catchTo(SB), BX
	MOVL	(BX)(R12*4), SI
	TESTL	SI, SI
	JZ	notsent
	LEAQ	·catchFlags(SB), BX
	MOVL	(BX)(R12*4), R10
	XORL	DX, DX
	MOVL	$424, AX		// pidfd_send_signal(pidfd, to, NULL, flags)
	SYSCALL
	TESTQ	AX, AX
	JNZ	notsent
	LEAQ	·catchForwarded(SB), BX
	MOVL	·catchWakeForwarded(SB), R13
	JMP	mark
notsent:
	LEAQ	·catchPending(SB), BX
	MOVL	$1, R13			// the loop must hear of it
mark:
	MOVQ	R12, CX
	DECQ	CX
	MOVQ	$1, AX
	SHLQ	CX, AX
	LOCK
	ORQ	AX, (BX)
	MOVL	$-1, AX
	LOCK
	XADDL	AX, ·catchBusy(SB)	// marked: the reader need not wait any more
	TESTL	R13, R13
	JZ	done
	MOVL	$1, AX
	LOCK
	XADDL	AX, ·catchWaking(SB)
	MOVL	·catchWake(SB), DI
	TESTL	DI, DI
	JS	out
	LEAQ	·catchOne(SB), SI
	MOVQ	$8, DX
	MOVL	$1, AX			// write(wake, &one, 8)
	SYSCALL
out:
	MOVL	$-1, AX
	LOCK
	XADDL	AX, ·catchWaking(SB)
done:
	RET

// func catchWaitLoop() (sig, errno uintptr)
//
// ServeSignals's wait (mainthread_linux.go), on the main thread in a
// system call for good: rt_sigtimedwait for catchSet, then, for a signal
// still in catchSet, what catchHandler does from its count on
// (catchCounted), and again. A wait that a handler interrupts (EINTR) is
// taken again. It returns a signal that is no longer in catchSet, or the
// wait's error. It counts itself in catchBusy before it reads catchSet,
// as catchHandler does before it reads the relay: the catcher's close,
// which empties catchSet before it waits for catchBusy to be zero,
// either waits for this signal to be marked or has it returned.
TEXT ·catchWaitLoop(SB),NOSPLIT,$0-16
again:
	LEAQ	·catchSet(SB), DI
	LEAQ	·catchWaitInfo(SB), SI
	XORL	DX, DX			// no timeout
	MOVQ	$8, R10
	MOVQ	$128, AX		// rt_sigtimedwait(set, info, NULL, 8)
	SYSCALL
	CMPQ	AX, $-4			// EINTR
	JEQ	again
	CMPQ	AX, $0xfffffffffffff001
	JLS	got
	NEGQ	AX
	MOVQ	$0, sig+0(FP)
	MOVQ	AX, errno+8(FP)
	RET
got:
	MOVQ	AX, sig+0(FP)
	MOVQ	AX, R12
	MOVL	$1, BX
	LOCK
	XADDL	BX, ·catchBusy(SB)	// a full barrier: catchSet is read after it
	MOVQ	R12, CX
	DECQ	CX
	MOVQ	·catchSet(SB), BX
	BTQ	CX, BX
	JCC	given
	CALL	·catchCounted(SB)
	JMP	again
given:
	MOVL	$-1, BX
	LOCK
	XADDL	BX, ·catchBusy(SB)
	MOVQ	$0, errno+8(FP)
	RET

// func catchRestorer()
//
// Where catchHandler returns to: rt_sigreturn. amd64 needs one given
// with SA_RESTORER.
TEXT ·catchRestorer(SB),NOSPLIT|NOFRAME,$0
	MOVQ	$15, AX
	SYSCALL
	INT	$3

// func catchAddrs() (handler, restorer uintptr)
TEXT ·catchAddrs(SB),NOSPLIT,$0-16
	LEAQ	·catchHandler(SB), AX
	MOVQ	AX, handler+0(FP)
	LEAQ	·catchRestorer(SB), AX
	MOVQ	AX, restorer+8(FP)
	RET
