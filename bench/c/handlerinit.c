/* handlerinit: a reference init for bench/initbench. It does what tini
 * does for one child (forward signals, reap, exit with the child's code),
 * but forwards from a signal handler, as tinit does: the Go runtime keeps
 * SIGTERM and the like unblocked in every thread it makes, so of a Go
 * program's threads only the main one, which the kernel offers a process's
 * signals first, could wait for them in sigtimedwait as tini does. The handler
 * runs on an alternate signal stack (SA_ONSTACK, as Go's threads have) and
 * forwards through the child's pidfd; the main loop sleeps in sigsuspend
 * and reaps after each wake. Set beside tini, it shows what forwarding from
 * a handler costs in C, without Go.
 *
 * Usage: handlerinit [--] PROGRAM [ARGS...]
 * Build: gcc -static -O2 -o handlerinit handlerinit.c */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int pidfd = -1;

static void forward(int sig)
{
	syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

static void child_changed(int sig)
{
	(void)sig; /* only ends sigsuspend */
}

int main(int argc, char **argv)
{
	int first = 1;
	if (first < argc && strcmp(argv[first], "--") == 0)
		first++;
	if (first >= argc) {
		fprintf(stderr, "usage: handlerinit [--] PROGRAM [ARGS...]\n");
		return 2;
	}
	sigset_t all, none;
	sigfillset(&all);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &all, NULL);
	pid_t child = fork();
	if (child < 0) {
		perror("handlerinit: fork");
		return 1;
	}
	if (child == 0) {
		sigprocmask(SIG_SETMASK, &none, NULL);
		execvp(argv[first], argv + first);
		perror("handlerinit: exec");
		_exit(127);
	}
	pidfd = syscall(SYS_pidfd_open, child, 0);
	if (pidfd < 0) {
		perror("handlerinit: pidfd_open");
		return 1;
	}
	stack_t ss = {.ss_sp = malloc(SIGSTKSZ * 4), .ss_size = SIGSTKSZ * 4};
	if (ss.ss_sp == NULL || sigaltstack(&ss, NULL) < 0) {
		perror("handlerinit: sigaltstack");
		return 1;
	}
	struct sigaction sa = {.sa_flags = SA_ONSTACK | SA_RESTART};
	sigfillset(&sa.sa_mask);
	for (int sig = 1; sig < NSIG; sig++) {
		switch (sig) {
		case SIGKILL: case SIGSTOP: case SIGSEGV: case SIGBUS: case SIGFPE:
		case SIGILL: case SIGTRAP: case SIGSYS: case SIGTTIN: case SIGTTOU:
			continue;
		case 32: case 33: /* the C library's */
			continue;
		}
		sa.sa_handler = sig == SIGCHLD ? child_changed : forward;
		sigaction(sig, &sa, NULL);
	}
	for (;;) {
		sigsuspend(&none);
		int status;
		pid_t pid;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			if (pid != child)
				continue;
			if (WIFSIGNALED(status))
				return 128 + WTERMSIG(status);
			return WEXITSTATUS(status);
		}
	}
}
