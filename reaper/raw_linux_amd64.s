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
