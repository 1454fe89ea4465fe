/* true: the smallest static program that exits 0. No C library: _start
 * calls exit_group(0) directly, so spawn benchmarks measure process
 * creation and exec, not a libc's start-up.
 *
 * Build: gcc -static -nostdlib -O2 -o true true.c */

void _start(void)
{
#if defined(__x86_64__)
	__asm__ volatile("syscall" : : "a"(231), "D"(0) : "rcx", "r11", "memory");
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = 94;
	register long x0 __asm__("x0") = 0;
	__asm__ volatile("svc 0" : : "r"(x8), "r"(x0) : "memory");
#else
#error "true.c: add exit_group for this architecture"
#endif
	for (;;)
		;
}
