#include "textflag.h"

// _rt0_tinit is tinit's ELF entry point (go build -ldflags=-E=_rt0_tinit):
// before the Go runtime installs its signal handlers and raises
// RLIMIT_NOFILE, it records which signals tinit was started with ignored
// and the RLIMIT_NOFILE it was given, so that its children get them as tini
// would give them. It touches neither the stack nor the registers that
// _rt0_amd64_linux reads.
TEXT _rt0_tinit(SB),NOSPLIT|NOFRAME,$0
	MOVQ	$1, main·startRecorded(SB)
	MOVQ	$302, AX                       // prlimit64(0, RLIMIT_NOFILE, NULL, &startNofile)
	MOVQ	$0, DI
	MOVQ	$7, SI
	MOVQ	$0, DX
	LEAQ	main·startNofile(SB), R10
	SYSCALL
	MOVQ	$1, BX                         // for sig := 1; sig <= 64; sig++
sigloop:
	MOVQ	$13, AX                        // rt_sigaction(sig, NULL, &startSigaction, 8)
	MOVQ	BX, DI
	MOVQ	$0, SI
	LEAQ	main·startSigaction(SB), DX
	MOVQ	$8, R10
	SYSCALL
	CMPQ	main·startSigaction(SB), $1    // handler == SIG_IGN
	JNE	signext
	MOVQ	BX, CX
	DECQ	CX
	MOVQ	$1, AX
	SHLQ	CX, AX
	ORQ	AX, main·startIgnored(SB)
signext:
	INCQ	BX
	CMPQ	BX, $64
	JLE	sigloop
	JMP	_rt0_amd64_linux(SB)
