/* orphans: the orphan maker of bench/run.sh. Run as the child of the init
 * under test (PID 1 of a new PID namespace), it makes N orphans, then
 * waits until the init has reaped every one of them, and prints
 *
 *   orphans N ns ELAPSED init_cpu_ns CPU init_switches S init_threads T
 *
 * ELAPSED runs from the release of the orphans (see the modes) to the last
 * one reaped; CPU and S are the CPU time and the context switches of PID 1
 * over the same span (all its threads: taskstat.h).
 *
 * Modes:
 *   release N    the init's reaping throughput: a vfork child makes N vfork
 *                children that exit at once, and exits without reaping
 *                them, so all N zombies reach the init together. The clock
 *                starts when that child exits (the maker resumes), so
 *                making the zombies is not timed.
 *   trickle N    the init's cost per orphan: N orphans one at a time, from
 *                the first one made: a vfork child forks a child and exits;
 *                the grandchild, reparented while alive, exits when it sees
 *                its parent gone (EOF on a pipe), so each orphan is a
 *                SIGCHLD of its own.
 *
 * How "reaped" is seen: the pid of a zombie is still in use (kill(pid, 0)
 * succeeds) until its parent reaps it. The maker remembers every orphan's
 * pid and probes them in order, sleeping 100 us while one is still there.
 * Pids are not reused within a run as long as the 2N (trickle) or N + 1
 * (release) processes stay below pid_max (32768 by default).
 *
 * It reads PID 1's CPU time from /proc, which must be the namespace's own
 * (unshare --pid --fork --mount-proc, as a container runtime mounts it).
 *
 * Build: gcc -static -O2 -o orphans orphans.c */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "taskstat.h"

static pid_t *pids;

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "orphans: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* check_proc fails unless this is the child of PID 1 and /proc belongs
 * to this PID namespace. */
static void check_proc(void)
{
	if (getppid() != 1) {
		fprintf(stderr, "orphans: run me as the child of an init that is PID 1\n");
		exit(2);
	}
	char self[32];
	ssize_t n = readlink("/proc/self", self, sizeof self - 1);
	if (n < 0)
		die("readlink /proc/self");
	self[n] = 0;
	if (atol(self) != getpid()) {
		fprintf(stderr, "orphans: /proc belongs to another PID namespace: mount one of this namespace\n");
		exit(1);
	}
}

static void reap_own(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "orphans: maker %d failed: status %#x\n", pid, st);
		exit(1);
	}
}

/* release makes the zombies in a vfork child, sharing pids[]; it returns
 * the time that child exited, handing them to the init. */
static long long release(long n)
{
	pid_t maker = vfork();
	if (maker < 0)
		die("vfork");
	if (maker == 0) {
		for (long i = 0; i < n; i++) {
			pid_t pid = vfork();
			if (pid < 0)
				_exit(1);
			if (pid == 0)
				_exit(0);
			pids[i] = pid;
		}
		_exit(0);
	}
	long long t0 = now_ns();
	reap_own(maker);
	return t0;
}

/* trickle: the vfork child forks the orphan-to-be and exits; the orphan
 * waits for EOF on a pipe whose write end only the vfork child held. */
static void trickle(long n)
{
	for (volatile long i = 0; i < n; i++) {
		pid_t middle = vfork();
		if (middle < 0)
			die("vfork");
		if (middle == 0) {
			int p[2];
			char c;
			if (pipe2(p, O_CLOEXEC) < 0)
				_exit(1);
			pid_t pid = fork();
			if (pid < 0)
				_exit(1);
			if (pid == 0) {
				close(p[1]);
				while (read(p[0], &c, 1) < 0 && errno == EINTR)
					;
				_exit(0);
			}
			pids[i] = pid;
			_exit(0);
		}
		reap_own(middle);
	}
}

static void wait_reaped(long n)
{
	struct timespec pause = {0, 100000};
	for (long i = 0; i < n; i++)
		while (kill(pids[i], 0) == 0)
			nanosleep(&pause, NULL);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: orphans release|trickle N\n");
		return 2;
	}
	long n = atol(argv[2]);
	if (n <= 0) {
		fprintf(stderr, "orphans: N must be positive\n");
		return 2;
	}
	pids = calloc(n, sizeof *pids);
	if (!pids)
		die("calloc");
	check_proc();
	struct taskstat before, after;
	if (taskstat(1, &before) < 0)
		die("read /proc/1/task");
	long long t0 = now_ns();
	if (strcmp(argv[1], "release") == 0)
		t0 = release(n);
	else if (strcmp(argv[1], "trickle") == 0)
		trickle(n);
	else {
		fprintf(stderr, "orphans: unknown mode %s\n", argv[1]);
		return 2;
	}
	wait_reaped(n);
	long long t1 = now_ns();
	if (taskstat(1, &after) < 0)
		die("read /proc/1/task");
	printf("orphans %ld ns %lld init_cpu_ns %lld init_switches %lld init_threads %d\n", n, t1 - t0,
	       after.cpu_ns - before.cpu_ns, after.switches - before.switches, after.threads);
	return 0;
}
