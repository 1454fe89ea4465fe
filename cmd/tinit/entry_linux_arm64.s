#include "textflag.h"

// _rt0_tinit is tinit's ELF entry point (go build -ldflags=-E=_rt0_tinit):
// before the Go runtime installs its signal handlers and raises
// RLIMIT_NOFILE, it records which signals tinit was started with ignored
// and the RLIMIT_NOFILE it was given. It touches neither the stack nor the
// registers that _rt0_arm64_linux reads (it reads argc and argv from the
// stack).
TEXT _rt0_tinit(SB),NOSPLIT|NOFRAME,$0
	MOVD	$1, R9
	MOVD	$main·startRecorded(SB), R10
	MOVD	R9, (R10)
	MOVD	$0, R0                         // prlimit64(0, RLIMIT_NOFILE, NULL, &startNofile)
	MOVD	$7, R1
	MOVD	$0, R2
	MOVD	$main·startNofile(SB), R3
	MOVD	$261, R8
	SVC
	MOVD	$1, R11                        // for sig := 1; sig <= 64; sig++
	MOVD	$0, R12                        // ignored mask
sigloop:
	MOVD	R11, R0                        // rt_sigaction(sig, NULL, &startSigaction, 8)
	MOVD	$0, R1
	MOVD	$main·startSigaction(SB), R2
	MOVD	$8, R3
	MOVD	$134, R8
	SVC
	MOVD	$main·startSigaction(SB), R10
	MOVD	(R10), R9
	CMP	$1, R9                         // handler == SIG_IGN
	BNE	signext
	SUB	$1, R11, R9
	MOVD	$1, R13
	LSL	R9, R13, R13
	ORR	R13, R12, R12
signext:
	ADD	$1, R11, R11
	CMP	$64, R11
	BLE	sigloop
	MOVD	$main·startIgnored(SB), R10
	MOVD	R12, (R10)
	B	_rt0_arm64_linux(SB)
