#include "textflag.h"

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
